"""The food app's forms, one module per part (modules import each other directly, never from here)."""
