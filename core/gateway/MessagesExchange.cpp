// Anthropic Messages over Bedrock Converse / ConverseStream, and count_tokens over CountTokens.
#include "gateway/MessagesExchange.h"

#include "providers/bedrock/AnthropicCountTokens.h"
#include "providers/bedrock/AnthropicErrors.h"
#include "providers/bedrock/AnthropicResponseBuilder.h"
#include "providers/bedrock/BedrockErrorMapper.h"
#include "providers/bedrock/ModelId.h"

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

QByteArray MessagesExchange::errorBody(const GatewayError &error) const
{
    return bedrock::AnthropicError{error.status, bedrock::AnthropicError::typeForStatus(error.status), error.message}
        .toJson();
}

void MessagesExchange::begin()
{
    if (!target().problem.isEmpty())
        return fail({500, u"api_error"_s, u"backend_misconfigured"_s, target().problem});
    const bedrock::AiPolicies &policies = *target().policies;
    QByteArray body = request().body;
    QJsonDocument document = QJsonDocument::fromJson(body);
    if (document.isObject()) {
        QJsonObject object = document.object();
        policies.applyDefaultsAndOverrides(object);
        body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    }
    const auto endpoint = m_operation == Operation::Messages ? bedrock::AnthropicEndpoint::Messages
                                                             : bedrock::AnthropicEndpoint::CountTokens;
    auto parsed = bedrock::parseAnthropicRequest(body, endpoint);
    if (!parsed.ok())
        return fail(GatewayError::badRequest(u"invalid_request"_s, parsed.error()));
    m_request = std::move(parsed.value());
    m_request.model = policies.resolveModelAlias(m_request.model);
    record().model = target().model.isEmpty() ? m_request.model : target().model;
    record().streamed = m_request.stream;
    if (record().model.isEmpty()) {
        return fail(GatewayError::badRequest(
            u"model_required"_s, u"No model to call: the request names none and backend %1 does not set "
                                 "spec.ai.provider.bedrock.model."_s.arg(target().name)));
    }
    if (m_operation == Operation::CountTokens)
        return callCountTokens();

    const bedrock::AnthropicConverseRequest converse =
        bedrock::AnthropicConverseBuilder(betaHeaderValues(request())).build(m_request);
    m_toolNames = converse.toolNames;
    const QStringList dropped = m_request.droppedFields + converse.droppedBetas;
    record().droppedParameters = dropped;
    if (!dropped.isEmpty())
        addResponseHeader("x-quarry-dropped-params", dropped.join(u',').toUtf8());
    QJsonObject converseBody = converse.body;
    if (const auto rejection = policies.guardRequest(converseBody))
        return fail({rejection->statusCode, u"invalid_request_error"_s, u"prompt_guard"_s, rejection->message});
    callMessages(converseBody);
}

void MessagesExchange::callMessages(const QJsonObject &converse)
{
    m_messageId = u"msg_"_s + QString::number(QRandomGenerator::global()->generate64(), 16);
    const bool stream = m_request.stream;
    const auto build = [this, converse, stream](const BackendTarget &provider) {
        record().model = provider.model.isEmpty() ? m_request.model : provider.model;
        QJsonObject body = converse;
        provider.policies->addCachePoints(body, record().model);
        if (!provider.guardrailIdentifier.isEmpty())
            bedrock::AiPolicies::applyGuardrail(body, provider.guardrailIdentifier, provider.guardrailVersion);
        UpstreamRequest call;
        call.encodedPath = "/model/" + bedrock::encodeModelIdForPath(record().model)
                           + (stream ? "/converse-stream" : "/converse");
        call.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        call.streaming = stream;
        call.accept = stream ? "application/vnd.amazon.eventstream" : "application/json";
        return call;
    };
    UpstreamCall::Handlers handlers;
    handlers.streamStarted = [this] {
        m_translator.emplace(m_messageId, record().model, m_toolNames);
        startClientStream("text/event-stream; charset=utf-8");
    };
    handlers.streamMessage = [this](const bedrock::EventStreamMessage &message) { onStreamMessage(message); };
    handlers.finished = [this](int status, const QByteArray &body, const QByteArray &errorType,
                               const std::optional<GatewayError> &failure) {
        onFinished(status, body, errorType, failure);
    };
    callBedrock(build, std::move(handlers));
}

void MessagesExchange::callCountTokens()
{
    const auto model = bedrock::AnthropicCountTokens::bedrockModelId(record().model);
    if (!model.ok())
        return fail(GatewayError::badRequest(u"count_tokens_unsupported"_s, model.error()));
    record().model = *model;
    UpstreamRequest call;
    call.encodedPath = "/model/" + bedrock::encodeModelIdForPath(*model) + "/count-tokens";
    call.body = bedrock::AnthropicCountTokens::requestBody(m_request);
    UpstreamCall::Handlers handlers;
    handlers.finished = [this](int status, const QByteArray &body, const QByteArray &errorType,
                               const std::optional<GatewayError> &failure) {
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

void MessagesExchange::onStreamMessage(const bedrock::EventStreamMessage &message)
{
    if (m_streamFailed)
        return;
    const QString messageType = message.headerString(u":message-type"_s);
    if (messageType == u"exception"_s) {
        const QString type = message.headerString(u":exception-type"_s);
        record().error = bedrock::mapStreamException(type, message.payload).message;
        writeClientStream(m_translator->onException(type, message.payload));
        m_streamFailed = true;
        return;
    }
    if (messageType == u"error"_s)
        return failStream(message.headerString(u":error-code"_s), message.headerString(u":error-message"_s));
    const QString eventType = message.headerString(u":event-type"_s);
    if (eventType == u"contentBlockDelta"_s)
        markFirstToken();
    writeClientStream(m_translator->onEvent(eventType, message.payload));
}

void MessagesExchange::failStream(const QString &exceptionType, const QString &message)
{
    const QByteArray payload = QJsonDocument(QJsonObject{{u"message"_s, message}}).toJson(QJsonDocument::Compact);
    record().error = message;
    writeClientStream(m_translator->onException(exceptionType, payload));
    m_streamFailed = true;
}

void MessagesExchange::onFinished(int status, const QByteArray &body, const QByteArray &errorType,
                                  const std::optional<GatewayError> &failure)
{
    if (failure) {
        if (!clientStreamStarted())
            return fail(*failure);
        failStream(u"serviceUnavailableException"_s, failure->message);
        return finishStream();
    }
    if (status != 200)
        return respondWithBedrockError(status, body, errorType);
    if (!m_request.stream)
        return respondWithMessage(body);
    finishStream();
}

void MessagesExchange::finishStream()
{
    if (!m_streamFailed) {
        writeClientStream(m_translator->finish());
        if (m_translator->failed())
            record().error = m_translator->error()->message;
    }
    record().stopReason = m_translator->stopReason();
    const auto &usage = m_translator->usage();
    record().tokens = {usage.input, usage.output, usage.cacheRead, usage.cacheWrite};
    endClientStream();
}

void MessagesExchange::respondWithMessage(const QByteArray &converseResponse)
{
    const bedrock::AnthropicResponseBuilder builder(m_messageId, record().model, m_toolNames);
    auto message = builder.build(converseResponse);
    if (!message.ok()) {
        return fail({502, u"api_error"_s, u"bad_upstream_response"_s,
                     u"Bedrock's answer could not be read: "_s + message.error()});
    }
    record().stopReason = message->bedrockStopReason;
    record().tokens = {message->usage.input, message->usage.output, message->usage.cacheRead,
                       message->usage.cacheWrite};
    respond(200, "application/json", message->json);
}

void MessagesExchange::respondWithBedrockError(int status, const QByteArray &body, const QByteArray &errorType)
{
    const auto error = bedrock::AnthropicError::fromBedrock(status, errorType, body);
    record().error = error.message;
    respond(error.status, "application/json", error.toJson());
}

} // namespace quarry::gateway
