// Unit tests for tkb/parallel.hpp: results handed over in order whatever the number of
// threads, a bounded window of waiting results, every item visited once, two pieces of work
// side by side, and exceptions carried to the caller.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tkb/parallel.hpp"

using namespace tkb;

TEST_CASE("parallel: ordered_parallel consumes every result in order", "[parallel]") {
  for (unsigned jobs : {1u, 2u, 4u, 0u}) {
    for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{257}}) {
      std::vector<std::size_t> seen;
      ordered_parallel<std::size_t>(
          count, jobs, 3,
          [](std::size_t k) {
            // Later items finish first now and then, so order is really restored.
            if (k % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
            return k * k;
          },
          [&](std::size_t k, std::size_t& v) {
            CHECK(v == k * k);
            seen.push_back(k);
          });
      std::vector<std::size_t> expected(count);
      for (std::size_t k = 0; k < count; ++k) expected[k] = k;
      CHECK(seen == expected);
    }
  }
}

TEST_CASE("parallel: ordered_parallel never runs further ahead than its window", "[parallel]") {
  std::atomic<std::size_t> consumed{0}, worst{0};
  constexpr std::size_t kWindow = 4;
  ordered_parallel<int>(
      200, 3, kWindow,
      [&](std::size_t k) {
        std::size_t ahead = k - std::min(k, consumed.load());
        std::size_t w = worst.load();
        while (ahead > w && !worst.compare_exchange_weak(w, ahead)) {
        }
        return 0;
      },
      [&](std::size_t k, int&) {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
        consumed = k + 1;
      });
  // `consumed` moves after each consume() returns, one step behind the helper's own count.
  CHECK(worst.load() <= kWindow);
}

TEST_CASE("parallel: an exception in ordered_parallel reaches the caller", "[parallel]") {
  for (unsigned jobs : {1u, 2u}) {
    std::size_t consumed = 0;
    CHECK_THROWS_WITH(ordered_parallel<int>(
                          100, jobs, 8,
                          [](std::size_t k) {
                            if (k == 10) throw std::runtime_error("produce 10");
                            return static_cast<int>(k);
                          },
                          [&](std::size_t, int&) { ++consumed; }),
                      "produce 10");
    CHECK(consumed == 10);  // everything before the failed item, nothing after
    CHECK_THROWS_WITH(ordered_parallel<int>(
                          100, jobs, 8, [](std::size_t k) { return static_cast<int>(k); },
                          [&](std::size_t k, int&) {
                            if (k == 5) throw std::runtime_error("consume 5");
                          }),
                      "consume 5");
  }
}

TEST_CASE("parallel: parallel_for visits every item once", "[parallel]") {
  for (unsigned jobs : {1u, 2u, 3u}) {
    std::vector<std::atomic<int>> visits(1000);
    parallel_for(visits.size(), jobs, [&](std::size_t k) { ++visits[k]; });
    CHECK(std::all_of(visits.begin(), visits.end(), [](const auto& v) { return v.load() == 1; }));
  }
  std::size_t calls = 0;
  parallel_for(0, 2, [&](std::size_t) { ++calls; });
  CHECK(calls == 0);
  CHECK(thread_count(5, 2) == 2);
  CHECK(thread_count(3, 0) == 1);
}

TEST_CASE("parallel: parallel_for_workers hands out blocks of neighbours", "[parallel]") {
  CHECK(parallel_block(0, 1) == 1);
  CHECK(parallel_block(400, 2) == 1);      // a few hundred chunks: one at a time
  CHECK(parallel_block(5120, 2) == 10);    // about 256 blocks a thread
  CHECK(parallel_block(100000, 2) == 64);  // at most 64
  CHECK(parallel_block(100000, 1) == 64);
  // Every item of a block on the thread that took it, every worker number in range.
  std::vector<unsigned> worker_of(100000, 99);
  parallel_for_workers(worker_of.size(), 2,
                       [&](std::size_t k, unsigned worker) { worker_of[k] = worker; });
  bool in_range = true, blocks_whole = true;
  for (std::size_t k = 0; k < worker_of.size(); ++k) {
    in_range = in_range && worker_of[k] < 2;
    blocks_whole = blocks_whole && worker_of[k] == worker_of[k - k % 64];
  }
  CHECK(in_range);
  CHECK(blocks_whole);
}

TEST_CASE("parallel: no item is begun once one has thrown", "[parallel]") {
  for (unsigned jobs : {1u, 2u}) {
    std::atomic<int> calls{0};
    CHECK_THROWS_WITH(parallel_for(100000, jobs,
                                   [&](std::size_t) {
                                     ++calls;
                                     throw std::runtime_error("every item");
                                   }),
                      "every item");
    CHECK(calls.load() >= 1);
    CHECK(calls.load() <= static_cast<int>(jobs));  // each thread's first item, at most
  }
}

TEST_CASE("parallel: an exception in parallel_for reaches the caller", "[parallel]") {
  CHECK_THROWS_WITH(parallel_for(50, 2,
                                 [](std::size_t k) {
                                   if (k == 20) throw std::runtime_error("item 20");
                                 }),
                    "item 20");
}

TEST_CASE("parallel: run_both runs both, side by side when it may", "[parallel]") {
  // On one thread, in order; on two, at the same time: each waits to see the other start.
  std::vector<int> order;
  run_both(
      1, [&] { order.push_back(1); }, [&] { order.push_back(2); });
  CHECK(order == std::vector<int>{1, 2});
  std::atomic<int> started{0};
  auto meet = [&] {
    ++started;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (started.load() < 2 && std::chrono::steady_clock::now() < until) {
      std::this_thread::yield();
    }
    return started.load() == 2;
  };
  bool first = false, second = false;
  run_both(
      2, [&] { first = meet(); }, [&] { second = meet(); });
  CHECK(first);
  CHECK(second);
}

TEST_CASE("parallel: an exception in run_both reaches the caller", "[parallel]") {
  for (unsigned jobs : {1u, 2u}) {
    bool other_ran = false;
    CHECK_THROWS_WITH(
        run_both(
            jobs, [] { throw std::runtime_error("first"); }, [&] { other_ran = true; }),
        "first");
    CHECK(other_ran == (jobs == 2));  // on one thread the second is not begun
    CHECK_THROWS_WITH(run_both(
                          jobs, [] {}, [] { throw std::runtime_error("second"); }),
                      "second");
    CHECK_THROWS_WITH(run_both(
                          jobs, [] { throw std::runtime_error("first"); },
                          [] { throw std::runtime_error("second"); }),
                      "first");
  }
}
