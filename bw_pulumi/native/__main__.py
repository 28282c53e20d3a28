"""``python -m bw_pulumi.native <engine address>``: the plugin, as the console script runs it."""

from .server import main

main()
