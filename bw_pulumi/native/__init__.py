"""The native ``bandwidth`` provider plugin: the same resources for every Pulumi language.

``pulumi-resource-bandwidth`` (a console script of this package) serves
``bandwidth:index:<Name>`` for every public resource, with a schema read off the Python
resources, by driving the same lifecycle code as the dynamic providers
(:mod:`bw_pulumi.native.adapter`). Nothing is imported here: the plugin's start-up stays lean.
"""
