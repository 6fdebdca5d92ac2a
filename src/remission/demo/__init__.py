"""The demo clinic: staff of every role and synthetic patients, built from a seed."""
