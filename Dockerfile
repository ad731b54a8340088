# One image for web and workers. GPU workers are built with a CUDA build of torch:
#   docker compose build --build-arg TORCH_INDEX_URL=https://download.pytorch.org/whl/cu126 worker-gpu
FROM python:3.11-slim-bookworm

ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    KINSHIP_DATA_DIR=/var/lib/kinship KINSHIP_STATIC_ROOT=/app/staticfiles

RUN apt-get update \
 && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 libjpeg62-turbo curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 kinship \
 && mkdir -p /var/lib/kinship && chown kinship /var/lib/kinship

WORKDIR /app
COPY requirements/ requirements/
RUN pip install --index-url "$TORCH_INDEX_URL" torch==2.13.0 \
 && pip install -r requirements/base.txt -r requirements/ml.txt

COPY . .
# Production static files need WhiteNoise's manifest; the values below exist only for this step.
RUN KINSHIP_MODE=production KINSHIP_BUILD_STEP=1 DJANGO_SECRET_KEY=build-only-not-secret DJANGO_ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@localhost/build python manage.py collectstatic --noinput -v 0

USER kinship
EXPOSE 8000
CMD ["gunicorn", "kinship_site.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
