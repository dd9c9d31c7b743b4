// The worker pool's time limits: an overdue job is reported once, replaced
// up to the limit so other jobs keep running, and stop() returns by its
// deadline with the stuck workers counted instead of joining them.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>

#include "util/worker_pool.hpp"

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// Waits (bounded) until `done` is true.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 5000ms) {
  const auto until = Clock::now() + timeout;
  while (Clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return done();
}

}  // namespace

TEST_CASE("a job that finishes in time is not reported overdue", "[worker_pool]") {
  mcpd::WorkerPool pool(1, 1);
  std::atomic<int> overdue{0};
  std::promise<void> ran;
  REQUIRE(pool.submit([&] { ran.set_value(); }, 200ms, [&] { ++overdue; }));
  REQUIRE(ran.get_future().wait_for(5s) == std::future_status::ready);
  std::this_thread::sleep_for(400ms);
  CHECK(overdue == 0);
  CHECK(pool.replaced_workers() == 0);
}

TEST_CASE("an overdue job is reported once and its worker replaced, up to the limit", "[worker_pool]") {
  mcpd::WorkerPool pool(1, 1);
  std::latch release(1);
  std::atomic<int> overdue{0};
  const auto submitted = Clock::now();
  REQUIRE(pool.submit([&] { release.wait(); }, 100ms, [&] { ++overdue; }));
  // The only worker is stuck; this job runs once the replacement exists.
  std::promise<Clock::time_point> second;
  REQUIRE(pool.submit([&] { second.set_value(Clock::now()); }));
  auto second_ran = second.get_future();
  REQUIRE(second_ran.wait_for(5s) == std::future_status::ready);
  CHECK(second_ran.get() - submitted >= 100ms);
  // The replacement may run that job before the watchdog has made its report.
  CHECK(eventually([&] { return overdue == 1; }));
  CHECK(pool.replaced_workers() == 1);
  CHECK(pool.replacement_limit_reached());

  // Past the limit, a second overdue job is reported but not replaced.
  std::latch release_second(1);
  REQUIRE(pool.submit([&] { release_second.wait(); }, 100ms, [&] { ++overdue; }));
  CHECK(eventually([&] { return overdue == 2; }));
  CHECK(pool.replaced_workers() == 1);

  // The replaced worker leaves once its job returns; the other one stays.
  release.count_down();
  CHECK(eventually([&] { return pool.replaced_workers() == 0; }));
  release_second.count_down();
  std::promise<void> later;
  REQUIRE(pool.submit([&] { later.set_value(); }));
  CHECK(later.get_future().wait_for(5s) == std::future_status::ready);
  CHECK(overdue == 2);
}

TEST_CASE("stop() returns by its deadline and counts the stuck workers", "[worker_pool]") {
  std::latch release(1);
  {
    mcpd::WorkerPool pool(2, 0);
    std::latch started(1);
    REQUIRE(pool.submit([&] {
      started.count_down();
      release.wait();
    }));
    started.wait();
    const auto began = Clock::now();
    CHECK(pool.stop(Clock::now() + 200ms) == 1);
    CHECK(Clock::now() - began < 2s);
    CHECK_FALSE(pool.submit([] {}));
    // The pool may only go away once the stuck job has returned (its contract).
    release.count_down();
  }
  SUCCEED("destroyed after the stuck job returned");
}

TEST_CASE("stop() without stuck workers runs the queued jobs first", "[worker_pool]") {
  mcpd::WorkerPool pool(1);
  std::atomic<int> ran{0};
  for (int i = 0; i < 10; ++i) REQUIRE(pool.submit([&] { ++ran; }));
  CHECK(pool.stop(Clock::now() + 5s) == 0);
  CHECK(ran == 10);
}

TEST_CASE("a job run in place is watched like a pool job: overdue once, never replaced, counted by stop()",
          "[worker_pool]") {
  std::atomic<int> overdue{0};
  std::promise<std::thread::id> ran_on;
  std::latch release(1);
  std::latch inside(1);
  mcpd::WorkerPool pool(1, 4);  // after what its jobs use: destroyed (joined) first
  REQUIRE(pool.run_here([&] { ran_on.set_value(std::this_thread::get_id()); }, 100ms, [&] { ++overdue; }));
  CHECK(ran_on.get_future().get() == std::this_thread::get_id());

  const auto started = Clock::now();
  REQUIRE(pool.run_here([&] { eventually([&] { return overdue == 1; }); }, 100ms, [&] { ++overdue; }));
  CHECK(Clock::now() - started >= 100ms);
  CHECK(overdue == 1);
  CHECK(pool.replaced_workers() == 0);  // the caller's thread is not the pool's to replace

  // While one runs, stop() counts it as stuck at its deadline.
  std::thread caller([&] {
    pool.run_here(
        [&] {
          inside.count_down();
          release.wait();
        },
        0ms, nullptr);
  });
  inside.wait();
  CHECK(pool.stop(Clock::now() + 100ms) == 1);
  CHECK_FALSE(pool.run_here([] {}, 0ms, nullptr));
  release.count_down();
  caller.join();
}

TEST_CASE("deadlines after one the watchdog already sleeps toward still fire on time", "[worker_pool]") {
  // The watchdog is told only of a deadline earlier than the one it sleeps toward; later ones it finds
  // when it wakes. Here a short-limit job arrives while a long-limit one runs: it must not wait for it.
  std::latch release_long(1);
  std::latch release_short(1);
  std::atomic<int> long_overdue{0};
  std::atomic<int> short_overdue{0};
  mcpd::WorkerPool pool(2, 0);  // after what its jobs use: destroyed (joined) first
  REQUIRE(pool.submit([&] { release_long.wait(); }, 5000ms, [&] { ++long_overdue; }));
  std::this_thread::sleep_for(50ms);
  const auto submitted = Clock::now();
  REQUIRE(pool.submit([&] { release_short.wait(); }, 100ms, [&] { ++short_overdue; }));
  CHECK(eventually([&] { return short_overdue == 1; }, 2000ms));
  CHECK(Clock::now() - submitted < 1500ms);
  CHECK(long_overdue == 0);
  release_short.count_down();
  release_long.count_down();
}

TEST_CASE("a deadline later than the one the watchdog sleeps toward is found when it wakes",
          "[worker_pool]") {
  std::latch release(1);
  std::atomic<int> first_overdue{0};
  std::atomic<int> second_overdue{0};
  mcpd::WorkerPool pool(2, 0);  // after what its jobs use: destroyed (joined) first
  const auto began = Clock::now();
  REQUIRE(pool.submit([&] { release.wait(); }, 200ms, [&] { ++first_overdue; }));
  std::this_thread::sleep_for(50ms);
  REQUIRE(pool.submit([&] { release.wait(); }, 400ms, [&] { ++second_overdue; }));
  CHECK(eventually([&] { return first_overdue == 1; }, 2000ms));
  CHECK(eventually([&] { return second_overdue == 1; }, 3000ms));
  CHECK(Clock::now() - began >= 450ms);
  release.count_down();
}
