"""No-op jobs through pgqueuer (PyPI), a peer PostgreSQL job queue, for comparison with
Trestle's job runner: enqueue N, then drain them with one consumer; prints jobs/s.
   usage: python3 benchmarks/pgqueuer_noop.py DSN N [BATCH]"""
import asyncio
import sys
import time

import asyncpg
from pgqueuer import AsyncpgDriver, Queries, QueueManager
from pgqueuer.models import Job
from pgqueuer.types import QueueExecutionMode


async def main(dsn: str, count: int) -> None:
    connection = await asyncpg.connect(dsn)
    driver = AsyncpgDriver(connection)
    queries = Queries(driver)
    await queries.install()
    for start in range(0, count, 1000):
        size = min(1000, count - start)
        await queries.enqueue(["noop"] * size, [None] * size, [0] * size)
    manager = QueueManager(queries)

    @manager.entrypoint("noop")
    async def noop(job: Job) -> None:
        return None

    started = time.perf_counter()
    await manager.run(mode=QueueExecutionMode.drain, batch_size=int(sys.argv[3]) if len(sys.argv) > 3 else 10)
    elapsed = time.perf_counter() - started
    print(f"jobs: pgqueuer {count / elapsed:.0f} jobs/s ({count} no-op jobs, one consumer, batches of {sys.argv[3] if len(sys.argv) > 3 else 10})")


asyncio.run(main(sys.argv[1], int(sys.argv[2])))
