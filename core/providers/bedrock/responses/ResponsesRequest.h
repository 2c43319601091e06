// The OpenAI Responses API request (POST /v1/responses), read into the Chat Completions request it
// amounts to, so Bedrock sees exactly what the chat path would send. Items: messages, function
// and custom tool calls and their outputs, reasoning (replayed from encrypted_content, which this
// gateway writes: see ResponsesOutput). Shapes: the OpenAI API reference, "Responses".
#pragma once

#include "providers/bedrock/openai/OpenAiChatRequest.h"
#include "util/Result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

namespace quarry::bedrock {

struct ResponsesRequest
{
    QJsonArray input;           // as items; a string input becomes one user message item
    QString instructions;       // a system message first; never carried to a later response
    QString previousResponseId; // the conversation so far, kept by the gateway
    bool store = true;
    bool stream = false;
    bool includeEncryptedReasoning = false; // include: ["reasoning.encrypted_content"]
    QSet<QString> customTools;              // tools of type "custom": one string input, not JSON arguments
    QJsonObject chatFields;        // model, tools, tool_choice, limits, response_format, reasoning_effort
    QJsonObject echo;              // request fields the response object repeats (tools, text, reasoning...)
    QStringList droppedParameters; // accepted, with no Bedrock meaning

    // Errors name the field ("input[2].type: ..."), for a 400.
    static Result<ResponsesRequest> parse(const QByteArray &body);
    static Result<ResponsesRequest> read(const QJsonObject &object); // the body already parsed

    // The chat request for `history` (an earlier response's conversation, as items) + input.
    Result<ChatRequest> toChatRequest(const QJsonArray &history) const;
};

} // namespace quarry::bedrock
