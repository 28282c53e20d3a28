"""The native ``bandwidth`` provider plugin: the same resources for every Pulumi language.

``pulumi-resource-bandwidth`` (a console script of this package) serves
``bandwidth:index:<Name>`` for every public resource, with a schema read off the Python
resources, by driving the same lifecycle cores as the dynamic providers
(:mod:`bw_pulumi.core`). Nothing is imported here: the plugin's start-up stays lean.
"""
