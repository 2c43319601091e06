// The Responses API's output side, shared by the whole answer and the stream: ids, output items,
// usage, the response object, and the reasoning this gateway hands out as encrypted_content.
#pragma once

#include "util/TokenUsage.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>

namespace quarry::bedrock {

class ResponsesOutput
{
public:
    // "resp_…", "msg_…", "fc_…", "ctc_…", "rs_…": a prefix and 24 random hex digits, as OpenAI's look.
    static QString newId(const QString &prefix);

    // encrypted_content: Bedrock's reasoning blocks ({"type":"thinking","thinking","signature"} |
    // {"type":"redacted_thinking","data"}), serialised and base64url-encoded with a version prefix.
    // Not secret (the client already saw the text); opaque so clients hand it back unchanged, which
    // Bedrock needs to continue a turn that used tools while thinking. decodeReasoning gives an
    // empty array for anything it did not write.
    static QString encodeReasoning(const QJsonArray &thinkingBlocks);
    static QJsonArray decodeReasoning(const QString &encrypted);

    // Output items for one assistant message in chat.completion form (ChatCompletionBuilder's):
    // reasoning (when there was any), the text as a message, then one item per tool call —
    // custom_tool_call for tools the request declared "custom", function_call otherwise. Each
    // reasoning item's blocks go to `reasoningById` (for conversation()), as the stream's do.
    static QJsonArray itemsFromChatMessage(const QJsonObject &message, const QSet<QString> &customTools,
                                           bool includeEncryptedReasoning,
                                           QHash<QString, QJsonArray> *reasoningById);
    static QJsonObject reasoningItem(const QString &id, const QString &text, const QJsonArray &blocks,
                                     bool includeEncrypted);
    static QJsonObject messageItem(const QString &id, const QString &text, const QString &status);
    static QJsonObject callItem(const QString &id, const QString &callId, const QString &name,
                                const QString &arguments, bool custom, const QString &status);

    // {"input_tokens", "input_tokens_details": {"cached_tokens"}, "output_tokens",
    //  "output_tokens_details": {"reasoning_tokens"}, "total_tokens"}.
    static QJsonObject usage(const TokenUsage &usage);
    // The reverse, for clients reading a Responses answer (`quarry chat`): cached tokens are taken
    // back out of input_tokens (the shape has no cache-write count).
    static TokenUsage usageFromJson(const QJsonObject &usage);

    // The response object: `shell` (id, model, created_at and the request's echoed fields) with
    // status, output and usage. "completed", or "incomplete" with the reason when Bedrock stopped
    // at max_tokens ("max_output_tokens") or a filter ("content_filter").
    static QJsonObject response(QJsonObject shell, const QString &status, const QJsonArray &output,
                                const QJsonValue &usage, const QString &incompleteReason = {});
    // Converse's stopReason -> "" (complete), "max_output_tokens" or "content_filter".
    static QString incompleteReasonFor(const QString &stopReason);

    // The items a later request continues from: `history` + `input` + the output, with reasoning
    // always encrypted (the store replays it; clients see it only when they asked).
    static QJsonArray conversation(const QJsonArray &history, const QJsonArray &input,
                                   const QJsonArray &output, const QHash<QString, QJsonArray> &reasoningById);
};

} // namespace quarry::bedrock
