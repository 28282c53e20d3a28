"""The four Pulumi dynamic resources (one module each) and their shared plumbing."""
