/*
 * The demo company's organisation: the company, its regions, cities and
 * teams, and the seats (jobs) of each unit. The eight story teams come
 * first, in the first four cities, with a fixed number of reps. So their
 * people get the same employee ids for every seed and size. Medium and
 * large companies add background teams in more cities.
 */
#include <stdio.h>
#include <string.h>

#include "demo/internal.h"
#include "util/xalloc.h"

int org_add_unit(struct demo_world *w, const char *id, const char *name, int parent, int kind,
                 int city, int story)
{
    struct unit *u;

    XGROW(w->units, w->units_alloc, w->nunits + 1);
    u = &w->units[w->nunits];
    memset(u, 0, sizeof(*u));
    snprintf(u->id, sizeof(u->id), "%s", id);
    snprintf(u->name, sizeof(u->name), "%s", name);
    u->parent = parent;
    u->kind = kind;
    u->city = city;
    u->head = -1;
    u->story = story;
    return (int)w->nunits++;
}

static int add_seat(struct demo_world *w, int unit, int position, int role, int story_index)
{
    struct seat *s;

    XGROW(w->seats, w->seats_alloc, w->nseats + 1);
    s = &w->seats[w->nseats];
    s->unit = unit;
    s->position = position;
    s->role = role;
    s->story_index = story_index;
    s->first = -1;
    s->count = 0;
    if (position == POS_MANAGER || position == POS_LEAD)
        w->units[unit].head = (int)w->nseats;
    if (position == POS_SALES)
        w->units[unit].nreps++;
    return (int)w->nseats++;
}

/* The story teams: city (index in demo_cities), team number, story. */
static const struct {
    int city, number, story;
} story_teams[] = {
    {0, 1, TEAM_FALLING},   {0, 2, TEAM_STORY_PLAIN}, {0, 3, TEAM_LABOR},
    {1, 1, TEAM_FALLING_MISS}, {1, 2, TEAM_STORY_PLAIN}, {1, 3, TEAM_LABOR_MISS},
    {2, 1, TEAM_RISK},      {3, 1, TEAM_RISK_MISS},
};
#define NSTORY_TEAMS ((int)(sizeof(story_teams) / sizeof(story_teams[0])))

/*
 * The role of rep seat k of a story team: which reps carry a story and
 * which must stay put. Seats not listed have ordinary turnover, but
 * only before June 2026, so the story months see a stable team.
 */
static int story_seat_role(int story, int k, int *story_index)
{
    *story_index = 0;
    switch (story) {
    case TEAM_FALLING:
    case TEAM_FALLING_MISS:
        if (k == 0)
            return story == TEAM_FALLING ? ROLE_BELOW_MIN : ROLE_BELOW_MIN_MISS;
        return k == 1 ? ROLE_FIXED : ROLE_NONE;
    case TEAM_LABOR:
    case TEAM_LABOR_MISS:
        return ROLE_LABOR_REP;
    case TEAM_RISK:
        *story_index = 1 + k;
        return k < 2 ? ROLE_LEAVER : ROLE_NONE;
    case TEAM_RISK_MISS:
        *story_index = 3;
        return k == 0 ? ROLE_LEAVER : ROLE_NONE;
    default: /* the two plain story teams of HZ and SH */
        return ROLE_NONE;
    }
}

/* Rep seats of the plain story teams: HZ02 has the top performer at
 * risk, SH02 the near miss and the hand-over leaver. */
static int plain_team_role(int city, int k, int *story_index)
{
    *story_index = 0;
    if (k == 0)
        return city == 0 ? ROLE_TOP_AT_RISK : ROLE_TOP_MISS;
    if (city == 1 && k == 1)
        return ROLE_LEAVER; /* story_index 0: leaves in July */
    if (k == 1 || (city == 1 && k == 2))
        return ROLE_FIXED;
    return ROLE_NONE;
}

static int add_team(struct demo_world *w, int city_unit, int city, int number, int story, int nreps)
{
    char id[12], name[40];
    int unit, role, idx;

    snprintf(id, sizeof(id), "%s%02d", demo_cities[city].code, number);
    team_name(demo_cities[city].name, number, name, sizeof(name));
    unit = org_add_unit(w, id, name, city_unit, KIND_TEAM, city, story);
    add_seat(w, unit, POS_LEAD, story != TEAM_PLAIN ? ROLE_FIXED : ROLE_NONE, 0);
    for (int k = 0; k < nreps; k++) {
        if (story == TEAM_PLAIN)
            role = ROLE_NONE, idx = 0;
        else if (story == TEAM_STORY_PLAIN)
            role = plain_team_role(city, k, &idx);
        else
            role = story_seat_role(story, k, &idx);
        add_seat(w, unit, POS_SALES, role, idx);
    }
    return unit;
}

void org_build(struct demo_world *w)
{
    static const int cities_by_size[] = {4, 20, 38};
    static const int teams_by_size[] = {0, 72, 835};
    static const int hq_staff[][3] = {{1, 1, 1}, {3, 3, 2}, {12, 10, 6}}; /* hr, finance, other */
    int ncities = cities_by_size[w->opts.size];
    int region_unit[8], city_unit[64], next_number[64] = {0};
    int root, nregions = w->opts.size == DEMO_SMALL ? 2 : demo_nregions;
    struct rng r;

    rng_seed(&r, w->opts.seed, 1);
    w->ncities = ncities;

    /* The company and its staff. */
    root = org_add_unit(w, "HQ", "华岳商贸集团", -1, KIND_COMPANY, -1, TEAM_PLAIN);
    add_seat(w, root, POS_MANAGER, ROLE_FIXED, 0);
    for (int i = 0; i < hq_staff[w->opts.size][0]; i++)
        add_seat(w, root, POS_HR, ROLE_NONE, 0);
    for (int i = 0; i < hq_staff[w->opts.size][1]; i++)
        add_seat(w, root, POS_FINANCE, ROLE_NONE, 0);
    for (int i = 0; i < hq_staff[w->opts.size][2]; i++)
        add_seat(w, root, POS_OTHER, ROLE_NONE, 0);

    /* Regions and cities with their heads. */
    for (int i = 0; i < nregions; i++) {
        region_unit[i] = org_add_unit(w, demo_regions[i][0], demo_regions[i][1], root,
                                      KIND_REGION, -1, TEAM_PLAIN);
        add_seat(w, region_unit[i], POS_MANAGER, i < 2 ? ROLE_FIXED : ROLE_NONE, 0);
        if (w->opts.size != DEMO_SMALL) {
            add_seat(w, region_unit[i], POS_HR, ROLE_NONE, 0);
            add_seat(w, region_unit[i], POS_FINANCE, ROLE_NONE, 0);
        }
    }
    for (int c = 0; c < ncities; c++) {
        char id[12], name[40];

        snprintf(id, sizeof(id), "%s", demo_cities[c].code);
        snprintf(name, sizeof(name), "%s分公司", demo_cities[c].name);
        city_unit[c] = org_add_unit(w, id, name, region_unit[demo_cities[c].region], KIND_CITY, c,
                                    TEAM_PLAIN);
        add_seat(w, city_unit[c], POS_MANAGER, c < 4 ? ROLE_FIXED : ROLE_NONE, 0);
        add_seat(w, city_unit[c], POS_SUPPORT, ROLE_NONE, 0);
    }

    /* The story teams, then background teams spread over the cities. */
    for (int i = 0; i < NSTORY_TEAMS; i++) {
        int c = story_teams[i].city;

        add_team(w, city_unit[c], c, story_teams[i].number, story_teams[i].story,
                 story_team_reps(story_teams[i].story));
        if (story_teams[i].number > next_number[c])
            next_number[c] = story_teams[i].number;
    }
    for (int t = 0; t < teams_by_size[w->opts.size]; t++) {
        int c = t % ncities;

        add_team(w, city_unit[c], c, ++next_number[c], TEAM_PLAIN, (int)rng_range(&r, 5, 9));
    }
}
