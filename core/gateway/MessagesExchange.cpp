// Anthropic Messages over Bedrock Converse / ConverseStream, and count_tokens over CountTokens.
#include "gateway/MessagesExchange.h"

#include "providers/bedrock/anthropic/AnthropicConverseBuilder.h"
#include "providers/bedrock/anthropic/AnthropicCountTokens.h"
#include "providers/bedrock/converse/BedrockErrorMapper.h"
#include "providers/bedrock/anthropic/AnthropicResponseBuilder.h"
#include "providers/bedrock/anthropic/AnthropicStreamTranslator.h"
#include "providers/bedrock/converse/BedrockErrorMapper.h"
#include "providers/bedrock/converse/ModelId.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

QList<QByteArray> betaHeaderValues(const http::HttpRequest &request)
{
    QList<QByteArray> values;
    for (const auto &header : request.headers) {
        if (header.name.compare("anthropic-beta", Qt::CaseInsensitive) == 0)
            values.append(header.value);
    }
    return values;
}

} // namespace

QByteArray MessagesExchange::errorBody(const bedrock::ApiError &error) const
{
    return error.toAnthropicJson();
}

void MessagesExchange::begin()
{
    if (!target().problem.isEmpty())
        return fail({500, u"api_error"_s, u"backend_misconfigured"_s, target().problem});
    const bedrock::AiPolicies &policies = *target().policies;
    const auto endpoint = m_operation == Operation::Messages ? bedrock::AnthropicEndpoint::Messages
                                                             : bedrock::AnthropicEndpoint::CountTokens;
    const auto body = requestBodyWithPolicyFields();
    if (!body)
        return;
    auto parsed = bedrock::parseAnthropicRequest(*body, endpoint);
    if (!parsed.ok())
        return fail(bedrock::ApiError::badRequest(u"invalid_request"_s, parsed.error()));
    m_request = std::move(parsed.value());
    m_request.model = policies.resolveModelAlias(m_request.model);
    const QString model = target().model.isEmpty() ? m_request.model : target().model;
    if (model.isEmpty()) {
        return fail(bedrock::ApiError::badRequest(
            u"model_required"_s, u"No model to call: the request names none and backend %1 does not set "
                                 "spec.ai.provider.bedrock.model."_s.arg(target().name)));
    }
    if (m_operation == Operation::CountTokens)
        return callCountTokens(model);

    const bedrock::AnthropicConverseRequest converse =
        bedrock::AnthropicConverseBuilder(betaHeaderValues(request())).build(m_request);
    m_toolNames = converse.toolNames;
    const QStringList dropped = m_request.droppedFields + converse.droppedBetas;
    record().droppedParameters = dropped;
    if (!dropped.isEmpty())
        addResponseHeader("x-quarry-dropped-params", dropped.join(u',').toUtf8());
    const auto converseJson = withPreparedPrompt(converse.body.toJson());
    if (!converseJson)
        return;
    m_messageId = u"msg_"_s + QString::number(QRandomGenerator::global()->generate64(), 16);
    callConverse(*converseJson, m_request.model, m_request.stream);
}

std::unique_ptr<ConverseExchange::StreamTranslation> MessagesExchange::newStreamTranslation()
{
    return std::make_unique<StreamTranslationOf<bedrock::AnthropicStreamTranslator>>(m_messageId, record().model,
                                                                                       m_toolNames);
}

void MessagesExchange::callCountTokens(const QString &requestedModel)
{
    const auto model = bedrock::AnthropicCountTokens::bedrockModelId(requestedModel);
    if (!model.ok())
        return fail(bedrock::ApiError::badRequest(u"count_tokens_unsupported"_s, model.error()));
    record().model = *model;
    UpstreamRequest call;
    call.encodedPath = "/model/" + bedrock::encodeModelIdForPath(*model) + "/count-tokens";
    call.body = bedrock::AnthropicCountTokens::requestBody(m_request);
    UpstreamCall::Handlers handlers;
    handlers.finished = [this](int status, const QByteArray &body, const QByteArray &errorType,
                               const std::optional<bedrock::ApiError> &failure) {
        if (failure)
            return fail(*failure);
        if (status != 200)
            return respondWithBedrockError(status, body, errorType);
        const auto answer = bedrock::AnthropicCountTokens::responseBody(body);
        if (!answer.ok())
            return fail({502, u"api_error"_s, u"bad_upstream_response"_s, answer.error()});
        record().tokens.input = QJsonDocument::fromJson(*answer).object().value(u"input_tokens"_s).toInteger();
        respond(200, "application/json", *answer);
    };
    callBedrock(call, std::move(handlers));
}

void MessagesExchange::respondWithAnswer(const QByteArray &converseResponse)
{
    const bedrock::AnthropicResponseBuilder builder(m_messageId, record().model, m_toolNames);
    auto message = builder.build(converseResponse);
    if (!message.ok()) {
        return fail({502, u"api_error"_s, u"bad_upstream_response"_s,
                     u"Bedrock's answer could not be read: "_s + message.error()});
    }
    record().stopReason = message->bedrockStopReason;
    record().tokens = message->usage;
    respond(200, "application/json", message->json);
}

void MessagesExchange::respondWithBedrockError(int status, const QByteArray &body, const QByteArray &errorType)
{
    const auto error = bedrock::mapBedrockError(status, errorType, body);
    record().error = error.message;
    respond(error.status, "application/json", error.toAnthropicJson());
}

} // namespace quarry::gateway
