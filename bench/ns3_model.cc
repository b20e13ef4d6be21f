// The kernel's standard model in ns-3 (bench/run.js builds and runs it when libns3-dev is installed):
// 1,000 events in flight, each rescheduling itself after a uniform random delay in [0, 1) s, with
// ns-3's default scheduler (a map), until the given virtual time. Prints one JSON object.
//
// Build: g++ -O2 -std=c++17 bench/ns3_model.cc -o /tmp/cpmsim-ns3-model -lns3-core
//        (not `pkg-config --libs ns3-core`: on Debian 12 it names libgsl files libns3-dev does not install)
// Run:   /tmp/cpmsim-ns3-model [until_seconds]
#include "ns3/core-module.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>

using namespace ns3;

static uint64_t g_events = 0;
static Ptr<UniformRandomVariable> g_rng;

static void
Fire()
{
    ++g_events;
    Simulator::Schedule(Seconds(g_rng->GetValue(0.0, 1.0)), &Fire);
}

int
main(int argc, char* argv[])
{
    const double until = argc > 1 ? std::atof(argv[1]) : 2500.0;
    const int processes = 1000;
    RngSeedManager::SetSeed(42);
    g_rng = CreateObject<UniformRandomVariable>();
    for (int i = 0; i < processes; i++)
    {
        Simulator::Schedule(Seconds(g_rng->GetValue(0.0, 1.0)), &Fire);
    }
    Simulator::Stop(Seconds(until));
    const std::clock_t start = std::clock();
    Simulator::Run();
    const double cpu = double(std::clock() - start) / CLOCKS_PER_SEC;
    std::printf("{\"events\":%llu,\"cpu_s\":%f,\"events_per_s\":%f}\n", (unsigned long long)g_events, cpu, g_events / cpu);
    Simulator::Destroy();
    return 0;
}
