// OpenAI Chat Completions over Bedrock Converse / ConverseStream.
#include "gateway/ChatCompletionExchange.h"

#include "providers/bedrock/openai/ChatCompletionBuilder.h"
#include "providers/bedrock/openai/ChatStreamTranslator.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

void ChatCompletionExchange::begin()
{
    if (!target().problem.isEmpty())
        return fail({500, u"api_error"_s, u"backend_misconfigured"_s, target().problem});

    const auto body = requestBodyWithPolicyFields();
    if (!body)
        return;
    auto parsed = bedrock::parseChatRequest(*body);
    if (!parsed.ok())
        return fail(bedrock::ApiError::badRequest(u"invalid_request"_s, parsed.error()));
    m_chat = std::move(parsed.value());
    reportDroppedParameters();
    const auto converse = converseFor(m_chat, m_mapping, u"messages: must not be empty"_s);
    if (!converse)
        return;

    m_completionId = u"chatcmpl-"_s + QString::number(QRandomGenerator::global()->generate64(), 16);
    m_created = QDateTime::currentSecsSinceEpoch();
    callConverse(*converse, m_chat.model, m_chat.stream);
}

// Fields with no Bedrock meaning are never dropped silently: the client sees them in a header.
void ChatCompletionExchange::reportDroppedParameters()
{
    record().droppedParameters = m_chat.droppedParameters;
    if (!m_chat.droppedParameters.isEmpty())
        addResponseHeader("x-quarry-dropped-params", m_chat.droppedParameters.join(u',').toUtf8());
}

std::unique_ptr<ConverseExchange::StreamTranslation> ChatCompletionExchange::newStreamTranslation()
{
    return std::make_unique<StreamTranslationOf<bedrock::ChatStreamTranslator>>(
        m_completionId, record().model, m_created, m_chat.includeUsage, m_mapping);
}

void ChatCompletionExchange::respondWithAnswer(const QByteArray &converseResponse)
{
    bedrock::CompletionMeta meta;
    meta.id = m_completionId;
    meta.model = record().model;
    meta.created = m_created;
    auto completion = bedrock::ChatCompletionBuilder(meta, m_mapping).build(converseResponse);
    if (!completion.ok()) {
        return fail({502, u"api_error"_s, u"bad_upstream_response"_s,
                     u"Bedrock's answer could not be read: "_s + completion.error()});
    }
    record().stopReason = completion->stopReason;
    record().tokens = completion->usage;
    respond(200, "application/json", completion->json);
}
} // namespace quarry::gateway
