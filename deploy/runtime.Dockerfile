# Both Python environments of Aisle, installed with no network from the wheel folders that
# deploy/images.sh collects; built by images.sh from one tar stream (its comment lists it).
ARG BASE=aisle-base:bookworm
FROM ${BASE} AS build
COPY python3.11 /opt/python3.11
COPY python3.10 /opt/python3.10
COPY requirements /locks
COPY wheels /wheels
ENV UV_PYTHON_DOWNLOADS=never UV_OFFLINE=1 UV_NO_CACHE=1 UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
RUN echo /opt/python3.11/lib >/etc/ld.so.conf.d/aisle-python.conf \
 && echo /opt/python3.10/lib >>/etc/ld.so.conf.d/aisle-python.conf && ldconfig \
 && uv() { /opt/python3.11/bin/uv "$@"; } \
 && uv venv --quiet --python /opt/python3.11/bin/python3.11 /app/.venv \
 && uv pip sync --quiet --python /app/.venv/bin/python --no-index --find-links /wheels/app /locks/app.lock \
 && uv venv --quiet --python /opt/python3.10/bin/python3.10 /app/.venv-rasa \
 && uv pip sync --quiet --python /app/.venv-rasa/bin/python --no-index --find-links /wheels/rasa /locks/rasa.lock

FROM ${BASE}
COPY --from=build /etc/ld.so.conf.d/aisle-python.conf /etc/ld.so.conf.d/
COPY --from=build /opt /opt
COPY --from=build /app /app
RUN ldconfig
