#pragma once
// Running independent pieces of work on several threads while handing the results over in
// order: what makes tkb's output identical whatever the number of threads.

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace tkb {

// The threads to use for `jobs` (0: one per core), never more than `items` (at least 1).
inline unsigned thread_count(unsigned jobs, std::size_t items) {
  unsigned n = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(items, 1)));
}

// Call `produce(k)` for every k in [0, count) on `jobs` threads (0: one per core), and
// `consume(k, result)` on the calling thread in increasing order of k. At most `window` results
// wait to be consumed, so memory stays bounded whatever `count` is. The sequence of `consume`
// calls does not depend on `jobs`. An exception from `produce` or `consume` stops the work
// and is rethrown here once every thread has finished.
template <typename T, typename Produce, typename Consume>
void ordered_parallel(std::size_t count, unsigned jobs, std::size_t window, Produce&& produce,
                      Consume&& consume) {
  const unsigned threads = thread_count(jobs, count);
  if (threads <= 1) {
    for (std::size_t k = 0; k < count; ++k) {
      T result = produce(k);
      consume(k, result);
    }
    return;
  }
  window = std::max<std::size_t>(window, threads);
  struct Slot {
    std::optional<T> value;
    std::exception_ptr error;
    bool ready = false;
  };
  std::vector<Slot> ring(window);  // result k waits in ring[k % window]
  std::mutex mutex;
  std::condition_variable filled, drained;
  std::size_t next = 0, consumed = 0;
  bool stop = false;

  auto work = [&] {
    while (true) {
      std::size_t k;
      {
        std::unique_lock lock(mutex);
        drained.wait(lock, [&] { return stop || next >= count || next < consumed + window; });
        if (stop || next >= count) return;
        k = next++;
      }
      std::optional<T> value;
      std::exception_ptr error;
      try {
        value.emplace(produce(k));
      } catch (...) {
        error = std::current_exception();
      }
      {
        std::lock_guard lock(mutex);
        Slot& slot = ring[k % window];
        slot.value = std::move(value);
        slot.error = error;
        slot.ready = true;
      }
      filled.notify_all();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);

  std::exception_ptr failure;
  for (std::size_t k = 0; k < count && !failure; ++k) {
    std::optional<T> value;
    {
      std::unique_lock lock(mutex);
      Slot& slot = ring[k % window];
      filled.wait(lock, [&] { return slot.ready; });
      value = std::move(slot.value);
      failure = slot.error;
      slot = Slot{};
      consumed = k + 1;
    }
    drained.notify_all();
    if (failure) break;
    try {
      consume(k, *value);
    } catch (...) {
      failure = std::current_exception();
    }
  }
  if (failure) {
    std::lock_guard lock(mutex);
    stop = true;
  }
  drained.notify_all();
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

// How many items parallel_for_workers hands a thread at a time: about 256 blocks a thread,
// at most 64 items each, so that one slow item (a large note) does not hold the end up.
inline std::size_t parallel_block(std::size_t count, unsigned threads) {
  return std::clamp<std::size_t>(count / (std::size_t{threads} * 256), 1, 64);
}

// Call `work(k, worker)` for every k in [0, count) on `jobs` threads, in no particular order;
// `worker` numbers the thread running it, below thread_count(jobs, count), so that each
// thread can keep state of its own. Items are taken a block of neighbours at a time
// (parallel_block): taken one at a time, two threads loading 100,000 notes met at the shared
// counter and wrote into each other's cache lines at every note. Once `work` has thrown, no
// further item is begun, and the first exception is rethrown here.
template <typename Work>
void parallel_for_workers(std::size_t count, unsigned jobs, Work&& work) {
  const unsigned threads = thread_count(jobs, count);
  const std::size_t block = parallel_block(count, threads);
  struct alignas(64) Shared {  // apart from the callers' data
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
  } shared;
  std::mutex mutex;
  std::exception_ptr failure;
  auto run = [&](unsigned worker) {
    try {
      while (true) {
        const std::size_t begin = shared.next.fetch_add(block, std::memory_order_relaxed);
        if (begin >= count) return;
        const std::size_t end = std::min(count, begin + block);
        for (std::size_t k = begin; k < end; ++k) {
          if (shared.failed.load(std::memory_order_relaxed)) return;
          work(k, worker);
        }
      }
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      shared.failed = true;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(run, t);
  run(0);
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

// Call `first()` on a thread of its own and `second()` on the calling thread when `jobs`
// allows two threads (0: one per core), else one after the other; both have finished when it
// returns. An exception from either is rethrown here (the first's when both throw; on one
// thread, the second is not begun once the first has thrown).
template <typename First, typename Second>
void run_both(unsigned jobs, First&& first, Second&& second) {
  if (thread_count(jobs, 2) < 2) {
    first();
    second();
    return;
  }
  std::exception_ptr failure;
  std::thread other([&] {
    try {
      first();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  std::exception_ptr own;
  try {
    second();
  } catch (...) {
    own = std::current_exception();
  }
  other.join();
  if (failure) std::rethrow_exception(failure);
  if (own) std::rethrow_exception(own);
}

// Call `work(k)` for every k in [0, count) on `jobs` threads, in no particular order.
template <typename Work>
void parallel_for(std::size_t count, unsigned jobs, Work&& work) {
  parallel_for_workers(count, jobs, [&](std::size_t k, unsigned) { work(k); });
}

}  // namespace tkb
