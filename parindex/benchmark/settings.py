"""The application's settings, plus the minimal view the benchmark compares pages with."""

from parindex.settings import *  # noqa: F403

ROOT_URLCONF = "parindex.benchmark.urls"
