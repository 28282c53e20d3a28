"""The lifecycle cores: one per resource, on plain values, free of both Pulumi provider APIs.

Each ``bw_pulumi.core.<resource>`` module holds a class implementing
:class:`~bw_pulumi.core.lifecycle.Lifecycle` (check/diff/create/read/update/delete on snake_case
dicts of plain Python values, returning plain outcomes). Two thin adapters drive them: the dynamic
providers (:mod:`bw_pulumi.resources`, wrapping outcomes in ``pulumi.dynamic`` results) and the
native plugin (:mod:`bw_pulumi.native`, converting to the engine's property values). Nothing here
imports ``pulumi``.
"""
