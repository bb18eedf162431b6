"""Built-in rules: one rule per module, grouped by family. Found by walking this package
(``engine.registry.walk_package``); there is no hand-kept list."""
