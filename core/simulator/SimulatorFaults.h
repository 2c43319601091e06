// Fault-injection markers ("[sim:...]") read from the last user message; see BedrockSimulator.h.
#pragma once

#include <QString>

#include <optional>

namespace quarry::bedrock {

struct SimulatorFaults
{
    // The longest "[sim:slow:<ms>]" honoured, so a typo cannot hang a test run.
    static constexpr int MaximumSlowMs = 120000;
    static constexpr int MaximumWords = 100000;

    bool throttle = false;
    bool accessDenied = false;
    bool streamException = false;
    int slowMs = 0;
    std::optional<int> words;

    static SimulatorFaults fromText(const QString &text);
    // The text without any "[sim:...]" marker, so the echo shows only what the user wrote.
    static QString withoutMarkers(const QString &text);
};

} // namespace quarry::bedrock
