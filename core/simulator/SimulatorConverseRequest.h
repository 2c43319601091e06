// The parts of a Converse request body the simulator uses, parsed and checked like Bedrock does.
#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace quarry::bedrock {

struct SimulatorConverseRequest
{
    struct Message
    {
        QString role; // "user" | "assistant"
        // The message's text blocks joined with a space; an image block adds
        // "[image <format> <n> bytes]" so it is echoed and counted.
        QString text;
        int toolUses = 0;
        int toolResults = 0;
        bool startsWithReasoning = false;
    };

    struct Tool
    {
        QString name;
        QJsonObject schema; // inputSchema.json
    };

    // A cachePoint: the hash of everything before it (tools, system, messages in that order)
    // and how many words that prefix holds.
    struct CachePrefix
    {
        QByteArray hash;
        int words = 0;
    };

    QList<Message> messages;
    QString system; // system text blocks joined with a space
    std::optional<int> maxTokens;
    QStringList stopSequences;
    QList<Tool> tools;          // toolConfig.tools
    QString forcedTool;         // toolConfig.toolChoice.tool.name
    bool thinking = false;      // additionalModelRequestFields.thinking present and not disabled
    QJsonObject guardrail;      // guardrailConfig as sent
    QList<CachePrefix> cachePrefixes;
    int extraInputWords = 0;    // tool specs and toolResult text, counted as input

    // The error message is what Bedrock's ValidationException says for the same mistake.
    static Result<SimulatorConverseRequest> parse(const QByteArray &body);

    QString lastUserText() const;
};

} // namespace quarry::bedrock
