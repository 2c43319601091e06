// Parses the simulator's fault-injection markers.
#include "simulator/SimulatorFaults.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

const QRegularExpression &markerPattern()
{
    static const QRegularExpression pattern(u"\\[sim:([a-z-]+)(?::(\\d+))?\\]"_s);
    return pattern;
}

} // namespace

SimulatorFaults SimulatorFaults::fromText(const QString &text)
{
    SimulatorFaults faults;
    auto matches = markerPattern().globalMatch(text);
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        const QString name = match.captured(1);
        const bool hasNumber = match.hasCaptured(2);
        const qint64 number = match.captured(2).toLongLong();
        if (name == u"throttle")
            faults.throttle = true;
        else if (name == u"access-denied")
            faults.accessDenied = true;
        else if (name == u"stream-exception")
            faults.streamException = true;
        else if (name == u"slow" && hasNumber)
            faults.slowMs = int(qMin<qint64>(number, MaximumSlowMs));
        else if (name == u"words" && hasNumber)
            faults.words = int(qMin<qint64>(number, MaximumWords));
    }
    return faults;
}

QString SimulatorFaults::withoutMarkers(const QString &text)
{
    QString stripped = text;
    stripped.remove(markerPattern());
    return stripped;
}

} // namespace quarry::bedrock
