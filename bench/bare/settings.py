"""Settings of the bare yardstick: Django's defaults for a production page without a database."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "bench-bare-only"  # noqa: S105 - a loopback-only yardstick, never deployed
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "bare.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {},
    }
]
DATABASES: dict[str, dict[str, str]] = {}
USE_I18N = True
USE_TZ = True
WSGI_APPLICATION = "bare.wsgi.application"
