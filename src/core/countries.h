/* countries.h - the ISO 3166-1 alpha-2 codes of Kombo's schema. */
#ifndef OA_CORE_COUNTRIES_H
#define OA_CORE_COUNTRIES_H

#include <stdbool.h>

/* True when code is one of the schema's country codes (upper case, two letters). */
bool oa_country_valid(const char *code);
/* The list's own copy of code (static storage), or NULL when code is not one of them. */
const char *oa_country_code(const char *code);

#endif
