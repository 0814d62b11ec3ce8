/* migrations.h - the numbered SQL migrations compiled into the binary (cmake/embed.cmake). */
#ifndef OA_STORE_MIGRATIONS_H
#define OA_STORE_MIGRATIONS_H

#include <stddef.h>

typedef struct {
    const char *name; /* file name, e.g. "001_init.sql"; its number is the schema version */
    const char *sql;
} oa_migration;

extern const oa_migration oa_sqlite_migrations[];
extern const size_t oa_sqlite_migrations_n;
extern const oa_migration oa_postgres_migrations[];
extern const size_t oa_postgres_migrations_n;

#endif
