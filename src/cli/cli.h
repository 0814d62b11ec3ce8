/*
 * cli.h - the commands of the openapply binary beside serve: the consumer commands
 * `openapply verify` and `openapply listen` (the local development loop, like `stripe listen`),
 * both built on libopenapply (include/openapply/) and documented in docs/consumers.md; and the
 * operator's `openapply keys` (API keys, on the engine's store).
 */
#ifndef OA_CLI_CLI_H
#define OA_CLI_CLI_H

/* `openapply verify --secret S --header 'Name: value' ... [--tolerance SECONDS] < body`.
 * argv[0] is "verify". Returns the exit status: 0 valid, 1 invalid (reason printed),
 * 2 usage error. */
int cli_verify(int argc, char **argv);

/* `openapply listen --listen HOST:PORT --secret S [--forward-to URL] [--json] ...`.
 * argv[0] is "listen". Runs until SIGINT/SIGTERM; returns the exit status (0 after a clean
 * stop, 1 when the server cannot start, 2 for usage errors). */
int cli_listen(int argc, char **argv);

/* `openapply keys list|create|revoke [--db URL] ...`: the API keys of an engine's database
 * (built on the engine's store layer, not on libopenapply). argv[0] is "keys". Returns the
 * exit status: 0 done, 1 failed, 2 usage error. */
int cli_keys(int argc, char **argv);

/* Shared by verify and listen: the secret from --secret or $OPENAPPLY_WEBHOOK_SECRET. */
#define CLI_SECRET_ENV "OPENAPPLY_WEBHOOK_SECRET"

#endif
