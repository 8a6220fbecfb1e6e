"""Reading AWS with the config's own credentials: sessions, and OU and account names resolved through Organizations.
Used by synth (names in `share`), preflight, discover and usage; boto3 loads only when one of them runs."""
