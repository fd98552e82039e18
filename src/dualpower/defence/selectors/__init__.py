"""The defence app's selectors, one module per part (modules import each other directly, never from here)."""
