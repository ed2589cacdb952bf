"""Test environment: set before any chalicelib import (models read the table name at import)."""

import os

os.environ.update(
    {
        "LIVRILI_STAGE": "test",
        "LIVRILI_TABLE_NAME": "livrili-test",
        "LIVRILI_BUCKET_NAME": "livrili-test-files",
        "LIVRILI_JWT_SECRET": "test-secret-that-is-long-enough-for-hs256-0123456789",
        "LIVRILI_ARGON2_TIME_COST": "1",
        "LIVRILI_ARGON2_MEMORY_KIB": "1024",
        "AWS_DEFAULT_REGION": "eu-west-3",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_METRICS_NAMESPACE": "Livrili",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)


from scripts import moto_patches

moto_patches.apply()  # moto copies the whole table per transaction action otherwise
