// The parts of a Converse request body the simulator uses, parsed and checked like Bedrock does.
#pragma once

#include "util/Result.h"

#include <QByteArray>
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
        QString text; // the message's text blocks joined with a space; other blocks ignored
    };

    QList<Message> messages;
    QString system; // system text blocks joined with a space
    std::optional<int> maxTokens;
    QStringList stopSequences;

    // The error message is what Bedrock's ValidationException says for the same mistake.
    static Result<SimulatorConverseRequest> parse(const QByteArray &body);

    QString lastUserText() const;
};

} // namespace quarry::bedrock
