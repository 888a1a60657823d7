/*
 * Names of the demo company: regions and cities with their market tier,
 * Chinese person names, customer company names and products. The
 * lists are plain data; every pick goes through the caller's rng.
 */
#include <stdio.h>
#include <string.h>

#include "demo/internal.h"

const char *const demo_regions[][2] = {
    {"R1", "华东大区"}, {"R2", "华南大区"}, {"R3", "华北大区"}, {"R4", "华中大区"}, {"R5", "西南大区"},
};
const int demo_nregions = sizeof(demo_regions) / sizeof(demo_regions[0]);

/* The first four cities hold the story teams; the small company has only
 * those, so keep them first. */
const struct city_info demo_cities[] = {
    {"HZ", "杭州", "省会", 0},   {"SH", "上海", "直辖市", 0}, {"GZ", "广州", "省会", 1},
    {"SZ", "深圳", "副省级市", 1}, {"NJ", "南京", "省会", 0},   {"SUZ", "苏州", "地级市", 0},
    {"NB", "宁波", "副省级市", 0}, {"HF", "合肥", "省会", 0},   {"WX", "无锡", "地级市", 0},
    {"WZ", "温州", "地级市", 0},  {"JN", "济南", "省会", 0},   {"QD", "青岛", "副省级市", 0},
    {"XM", "厦门", "副省级市", 1}, {"FZ", "福州", "省会", 1},   {"DG", "东莞", "地级市", 1},
    {"FS", "佛山", "地级市", 1},  {"NN", "南宁", "省会", 1},   {"HK", "海口", "省会", 1},
    {"BJ", "北京", "直辖市", 2},  {"TJ", "天津", "直辖市", 2}, {"SJZ", "石家庄", "省会", 2},
    {"TY", "太原", "省会", 2},   {"SY", "沈阳", "省会", 2},   {"DL", "大连", "副省级市", 2},
    {"HRB", "哈尔滨", "省会", 2}, {"CC", "长春", "省会", 2},   {"WH", "武汉", "省会", 3},
    {"CS", "长沙", "省会", 3},   {"ZZ", "郑州", "省会", 3},   {"NC", "南昌", "省会", 3},
    {"YC", "宜昌", "地级市", 3},  {"LY", "洛阳", "地级市", 3},  {"CD", "成都", "省会", 4},
    {"CQ", "重庆", "直辖市", 4}, {"KM", "昆明", "省会", 4},   {"GY", "贵阳", "省会", 4},
    {"XA", "西安", "省会", 4},   {"LZ", "兰州", "省会", 4},
};
const int demo_ncities = sizeof(demo_cities) / sizeof(demo_cities[0]);

static const char *const digits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* "杭州一组", "杭州十二组", "杭州二十组" for numbers 1 to 99. */
void team_name(const char *city, int number, char *out, size_t size)
{
    int tens = number / 10, ones = number % 10;

    if (number < 10)
        snprintf(out, size, "%s%s组", city, digits[ones]);
    else
        snprintf(out, size, "%s%s十%s组", city, tens == 1 ? "" : digits[tens], digits[ones]);
}

/* Common surnames, the most frequent first and listed twice as often. */
static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "王", "李", "张", "刘", "陈",
    "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐",
    "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余",
    "于", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "卢", "姚", "沈", "钟", "姜", "崔",
    "欧阳", "上官", "司马",
};
static const char *const given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "飞", "玲", "鹏", "辉", "建", "国",
    "海", "宇", "浩", "晨", "欣", "怡", "婷", "雪", "琳", "佳", "嘉", "俊", "博", "文", "斌",
    "志", "鑫", "宁", "倩", "莉", "凯", "丹", "颖", "晶", "红", "波", "亮", "晓", "梅", "云",
    "思", "雨", "子", "涵", "轩", "睿", "泽", "一", "诺", "悦", "昊", "然", "梓", "航", "阳",
};
#define NSURNAMES ((int)(sizeof(surnames) / sizeof(surnames[0])))
#define NGIVEN ((int)(sizeof(given) / sizeof(given[0])))

void person_name(struct rng *r, char *out, size_t size)
{
    const char *s = surnames[rng_range(r, 0, NSURNAMES - 1)];

    if (rng_chance(r, 350))
        snprintf(out, size, "%s%s", s, given[rng_range(r, 0, NGIVEN - 1)]);
    else
        snprintf(out, size, "%s%s%s", s, given[rng_range(r, 0, NGIVEN - 1)],
                 given[rng_range(r, 0, NGIVEN - 1)]);
}

static const char *const trade_a[] = {"恒", "瑞", "华", "鼎", "盛", "嘉", "润", "正", "宏", "信",
                                      "金", "博", "汇", "顺", "天", "联", "锦", "泰", "安", "众"};
static const char *const trade_b[] = {"达", "丰", "通", "源", "远", "诚", "兴", "辰", "和", "昌",
                                      "德", "业", "隆", "创", "泽", "新", "益", "邦", "成", "祥"};
static const char *const kinds[] = {
    "贸易有限公司", "科技有限公司", "实业有限公司", "商贸有限公司", "餐饮管理有限公司",
    "物业服务有限公司", "酒店管理有限公司", "建材有限公司", "医疗器械有限公司",
    "教育咨询有限公司", "连锁超市有限公司", "电子商务有限公司",
};
#define NTRADE_A ((int)(sizeof(trade_a) / sizeof(trade_a[0])))
#define NTRADE_B ((int)(sizeof(trade_b) / sizeof(trade_b[0])))
#define NKINDS ((int)(sizeof(kinds) / sizeof(kinds[0])))

void customer_name_pick(struct rng *r, struct customer *c)
{
    c->name_a = (int)rng_range(r, 0, NTRADE_A - 1);
    c->name_b = (int)rng_range(r, 0, NTRADE_B - 1);
    c->name_kind = (int)rng_range(r, 0, NKINDS - 1);
}

/* "杭州恒达贸易有限公司". */
void customer_name(const struct customer *c, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s%s", demo_cities[c->city].name, trade_a[c->name_a],
             trade_b[c->name_b], kinds[c->name_kind]);
}

const char *const demo_products[] = {
    "商用咖啡机", "净水设备", "打印耗材", "办公家具", "安防监控", "会议平板", "智能门锁", "空气净化器",
};
const int demo_nproducts = sizeof(demo_products) / sizeof(demo_products[0]);
