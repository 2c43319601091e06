// promptGuard.response over Bedrock's answers, before any client API's translator sees them, so
// OpenAI, Anthropic and Responses clients get the same masking and the same refusals.
#pragma once

#include "providers/bedrock/converse/PromptGuard.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace quarry::bedrock {

class ResponseGuard
{
public:
    struct Event
    {
        QString type; // ConverseStream event type: contentBlockDelta, messageStop, ...
        QByteArray payload;
    };

    explicit ResponseGuard(PromptGuard guard) : m_guard(std::move(guard)) {}

    // A Converse answer: the text blocks of output.message.content masked in place, or the
    // rejection to send instead of the answer.
    std::optional<PromptGuardRejection> guardAnswer(QJsonObject &converseResponse) const;

    // One ConverseStream event in, the events to pass on out. Text deltas are held per content
    // block and released as one masked delta when the block stops, so a pattern split across
    // deltas is still caught; other events pass at once. After a rejection nothing more passes.
    QList<Event> onEvent(const QString &type, const QByteArray &payload);
    const std::optional<PromptGuardRejection> &rejection() const { return m_rejection; }

private:
    PromptGuard m_guard;
    QMap<int, QString> m_heldText; // contentBlockIndex -> text held back so far
    std::optional<PromptGuardRejection> m_rejection;
};

} // namespace quarry::bedrock
