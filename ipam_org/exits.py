"""The CLI's exit statuses, the same for every command (`ipam-org --help` lists them)."""

OK = 0
EXIT_FAILED = 1  # the command ran and found what it gates on: a risk, a failed check, nothing to adopt
EXIT_INPUT = 2  # the input is not usable (a config, a plan, a path): nothing was asked of AWS, nothing written
EXIT_AWS = 3  # AWS could not be reached, or refused, with the configured credentials

DESCRIPTION = (
    f"exit status: {OK} done; {EXIT_FAILED} a gate or check failed (a risk, a failed check, nothing to adopt);"
    f" {EXIT_INPUT} unusable input, nothing written; {EXIT_AWS} AWS unreachable with the configured credentials"
)
