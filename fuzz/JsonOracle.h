// What every Converse body Quarry writes must be: one JSON object, as an independent parser (Qt's)
// reads it. A body that is not aborts the run, so libFuzzer keeps the input.
#pragma once

#include <QByteArray>
#include <QJsonDocument>

#include <cstdio>
#include <cstdlib>

inline void requireJsonObject(const QByteArray &json)
{
    QJsonParseError error;
    if (QJsonDocument::fromJson(json, &error).isObject())
        return;
    std::fprintf(stderr, "not a JSON object (%s): %s\n", qPrintable(error.errorString()), json.constData());
    std::abort();
}
