"""The five Pulumi dynamic resources (one module each) and their shared plumbing."""
