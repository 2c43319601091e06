// YAML <-> JSON at the edge: multi-document YAML becomes JSON objects typed the way kubectl types them.
#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace quarry::config {

struct YamlDocument
{
    QJsonObject object;
    int index = 0; // 1-based position among the non-empty documents
    int line = 0;  // 1-based line where the document starts
};

class YamlCodec
{
public:
    // Plain scalars resolve by the YAML 1.2 core schema (8080 is a number, "8080" a string),
    // so a wrong type in a manifest is caught like kubectl does. Empty documents are skipped.
    static Result<QList<YamlDocument>> parse(const QByteArray &yaml);

    // One '---'-separated document per object, keys in the objects' (alphabetical) order.
    static QByteArray write(const QList<QJsonObject> &documents);
};

} // namespace quarry::config
