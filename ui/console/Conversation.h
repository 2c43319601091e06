// A Console conversation as it is saved: its turns with everything the transcript shows (text,
// reasoning, tool calls and results, images, the stats line). Never any header or key: the
// request's secrets stay with the request.
#pragma once

#include "client/ChatResponseReader.h"
#include "util/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace quarry::ui {

struct ConversationToolResult
{
    QString toolCallId;
    QString content;
};

struct ConversationTurn
{
    QString role; // "user", "assistant", or "notice" (an error or "Stopped": shown, never sent)
    QString text;
    QString reasoning;
    QList<client::ChatToolCall> toolCalls;
    QList<ConversationToolResult> toolResults;
    QStringList images; // data URLs
    QString stats;      // the answer's stats line as shown
};

struct Conversation
{
    static constexpr int FormatVersion = 1;

    QString id; // the file's name without .json; empty until first saved
    QString title;
    QDateTime created;
    QDateTime updated;
    QString system; // the system prompt it was held with
    QList<ConversationTurn> turns;

    QByteArray toJson() const;
    static Result<Conversation> fromJson(const QByteArray &json);
    // The first prompt's first line, shortened: a title until the user renames it.
    static QString titleFor(const QString &prompt);
};

} // namespace quarry::ui
