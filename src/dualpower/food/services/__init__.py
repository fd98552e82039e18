"""The food app's services, one module per part (modules import each other directly, never from here)."""
