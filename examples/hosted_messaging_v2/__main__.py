"""Entry point for `pulumi up` with the official CLI (see Pulumi.yaml)."""

from program import program

program()
