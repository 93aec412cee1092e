"""Closed-loop load on an OpenAI-compatible /v1/chat/completions endpoint: C clients each send
requests back to back; prints one JSON line per concurrency with tokens/s and latency percentiles.

Usage: python3 load.py BASE_URL MODEL --concurrency 1 8 32 --requests-per-client 4 --max-tokens 128
"""
import argparse
import asyncio
import json
import statistics
import time

import httpx


async def client_loop(http: httpx.AsyncClient, url: str, model: str, count: int, max_tokens: int, latencies: list, tokens: list) -> None:
    for index in range(count):
        body = {"model": model, "max_tokens": max_tokens, "temperature": 1.0, "stream": False,
                "messages": [{"role": "user", "content": f"Summarise request {index} about durable workflows and retries."}]}
        start = time.perf_counter()
        response = await http.post(url, json=body)
        response.raise_for_status()
        latencies.append(time.perf_counter() - start)
        tokens.append(response.json()["usage"]["completion_tokens"])


def percentile(values: list, fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(fraction * len(ordered) + 0.999999) - 1))]


async def run(base_url: str, model: str, concurrency: int, per_client: int, max_tokens: int) -> dict:
    latencies: list = []
    tokens: list = []
    async with httpx.AsyncClient(timeout=600, limits=httpx.Limits(max_connections=concurrency + 4)) as http:
        start = time.perf_counter()
        await asyncio.gather(*(client_loop(http, f"{base_url}/v1/chat/completions", model, per_client, max_tokens, latencies, tokens) for _ in range(concurrency)))
        wall = time.perf_counter() - start
    return {"bench": "gpu-direct", "concurrency": concurrency, "requests": len(latencies), "completionTokens": sum(tokens),
            "wallS": round(wall, 2), "tokensPerSecond": round(sum(tokens) / wall, 1),
            "latencyP50S": round(statistics.median(latencies), 3), "latencyP99S": round(percentile(latencies, 0.99), 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("model")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests-per-client", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args()
    asyncio.run(run(args.base_url, args.model, 1, 1, 8))  # warm-up
    for concurrency in args.concurrency:
        print(json.dumps(asyncio.run(run(args.base_url, args.model, concurrency, args.requests_per_client, args.max_tokens))), flush=True)


if __name__ == "__main__":
    main()
