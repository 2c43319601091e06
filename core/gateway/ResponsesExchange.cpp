// Responses API requests over Converse, and their stored conversations.
#include "gateway/ResponsesExchange.h"

#include "gateway/ResponsesStore.h"
#include "providers/bedrock/openai/ChatCompletionBuilder.h"
#include "providers/bedrock/responses/ResponsesOutput.h"

#include <QDateTime>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

void ResponsesExchange::begin()
{
    if (!target().problem.isEmpty())
        return fail({500, u"api_error"_s, u"backend_misconfigured"_s, target().problem});
    const auto body = requestObjectWithPolicyFields();
    if (!body)
        return;
    auto parsed = bedrock::ResponsesRequest::read(*body);
    if (!parsed.ok())
        return fail(bedrock::ApiError::badRequest(u"invalid_request"_s, parsed.error()));
    m_request = std::move(parsed.value());
    if (!m_request.droppedParameters.isEmpty()) {
        record().droppedParameters = m_request.droppedParameters;
        addResponseHeader("x-quarry-dropped-params", m_request.droppedParameters.join(u',').toUtf8());
    }
    if (!m_request.previousResponseId.isEmpty()) {
        const auto history = ResponsesStore::lookup(m_request.previousResponseId);
        if (!history) {
            return fail({404, u"invalid_request_error"_s, u"previous_response_not_found"_s,
                         u"Previous response with id '%1' not found. Quarry keeps responses stored with "
                         "store: true while it runs (%2 at most); send the conversation's items instead."_s
                             .arg(m_request.previousResponseId)
                             .arg(ResponsesStore::MaxResponses)});
        }
        m_history = *history;
    }
    auto chat = m_request.toChatRequest(m_history);
    if (!chat.ok())
        return fail(bedrock::ApiError::badRequest(u"invalid_request"_s, chat.error()));
    m_chat = std::move(chat.value());
    const auto converse = converseFor(m_chat, m_mapping, u"input: there is nothing to answer"_s);
    if (!converse)
        return;
    m_responseId = bedrock::ResponsesOutput::newId(u"resp"_s);
    m_created = QDateTime::currentSecsSinceEpoch();
    callConverse(*converse, m_chat.model, m_chat.stream);
}

QJsonObject ResponsesExchange::shell()
{
    // What OpenAI's response object holds when the request left a field out.
    QJsonObject shell{
        {u"instructions"_s, QJsonValue::Null},
        {u"tools"_s, QJsonArray{}},
        {u"tool_choice"_s, u"auto"_s},
        {u"parallel_tool_calls"_s, true},
        {u"temperature"_s, QJsonValue::Null},
        {u"top_p"_s, QJsonValue::Null},
        {u"max_output_tokens"_s, QJsonValue::Null},
        {u"previous_response_id"_s, QJsonValue::Null},
        {u"reasoning"_s, QJsonObject{{u"effort"_s, QJsonValue::Null}, {u"summary"_s, QJsonValue::Null}}},
        {u"text"_s, QJsonObject{{u"format"_s, QJsonObject{{u"type"_s, u"text"_s}}}}},
        {u"store"_s, true},
        {u"metadata"_s, QJsonObject{}},
        {u"truncation"_s, u"disabled"_s}};
    for (auto it = m_request.echo.begin(); it != m_request.echo.end(); ++it)
        shell.insert(it.key(), it.value());
    shell.insert(u"id"_s, m_responseId);
    shell.insert(u"object"_s, u"response"_s);
    shell.insert(u"created_at"_s, m_created);
    shell.insert(u"model"_s, record().model);
    return shell;
}

std::unique_ptr<ConverseExchange::StreamTranslation> ResponsesExchange::newStreamTranslation()
{
    auto translation = std::make_unique<StreamTranslationOf<bedrock::ResponsesStreamTranslator>>(
        shell(), m_mapping, m_request.customTools, m_request.includeEncryptedReasoning);
    m_stream = &translation->translator();
    return translation;
}

void ResponsesExchange::streamFinished()
{
    if (m_stream && !m_stream->failed())
        remember(m_stream->output(), m_stream->reasoningById());
}

void ResponsesExchange::respondWithAnswer(const QByteArray &converseResponse)
{
    bedrock::CompletionMeta meta;
    meta.id = m_responseId;
    meta.model = record().model;
    meta.created = m_created;
    const auto completion = bedrock::ChatCompletionBuilder(meta, m_mapping).build(converseResponse);
    if (!completion.ok()) {
        return fail({502, u"api_error"_s, u"bad_upstream_response"_s,
                     u"Bedrock's answer could not be read: "_s + completion.error()});
    }
    record().stopReason = completion->stopReason;
    record().tokens = completion->usage;
    const QJsonObject message = QJsonDocument::fromJson(completion->json)
                                    .object()
                                    .value(u"choices"_s)
                                    .toArray()
                                    .first()
                                    .toObject()
                                    .value(u"message"_s)
                                    .toObject();
    QHash<QString, QJsonArray> reasoningById;
    const QJsonArray output = bedrock::ResponsesOutput::itemsFromChatMessage(
        message, m_request.customTools, m_request.includeEncryptedReasoning, &reasoningById);
    remember(output, reasoningById);
    const QString incomplete = bedrock::ResponsesOutput::incompleteReasonFor(completion->stopReason);
    const QJsonObject response = bedrock::ResponsesOutput::response(
        shell(), incomplete.isEmpty() ? u"completed"_s : u"incomplete"_s,
        output,
        bedrock::ResponsesOutput::usage(completion->usage), incomplete);
    respond(200, "application/json", QJsonDocument(response).toJson(QJsonDocument::Compact));
}

void ResponsesExchange::remember(const QJsonArray &output,
                                 const QHash<QString, QJsonArray> &reasoningById) const
{
    if (m_request.store) {
        ResponsesStore::store(m_responseId, bedrock::ResponsesOutput::conversation(m_history, m_request.input,
                                                                                   output, reasoningById));
    }
}
} // namespace quarry::gateway
