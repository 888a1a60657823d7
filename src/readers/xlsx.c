#include "readers/source_impl.h"
#include "util/i18n.h"
int xlsx_source_open(struct source *src, const char *path, const struct source_options *opts,
                     struct strbuf *err)
{
    (void)src; (void)opts;
    sb_addf(err, _("%s: XLSX workbooks cannot be read yet"), path);
    return -1;
}
long xlsx_sheet_names(const char *path, char ***names, struct strbuf *err)
{
    (void)names;
    sb_addf(err, _("%s: XLSX workbooks cannot be read yet"), path);
    return -1;
}
