"""Industry packs. A pack is a plugin registered in ``kefu.packs.registry``; built-ins use the same hook."""
