"""The food app's views, one module per part (modules import each other directly, never from here)."""
