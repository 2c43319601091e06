// Forwards native Bedrock Runtime requests unchanged but for their signature.
#include "gateway/PassthroughExchange.h"

#include "providers/bedrock/converse/AiPolicies.h"
#include "providers/bedrock/converse/BedrockErrorMapper.h"
#include "providers/bedrock/converse/ResponseGuard.h"
#include "providers/bedrock/converse/ModelId.h"
#include "providers/bedrock/eventstream/EventStreamEncoder.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

constexpr QByteArrayView EventStreamType = "application/vnd.amazon.eventstream";

struct NativePath
{
    QString modelId;      // decoded
    QByteArray operation; // "converse", "invoke", ...
};

// The path ends in /model/{modelId}/{operation} (RouteType checked the operation); the id is one
// percent-encoded segment, whatever prefix the HTTPRoute put before it.
std::optional<NativePath> parseNativePath(QByteArray path)
{
    while (path.endsWith('/'))
        path.chop(1);
    const qsizetype operationAt = path.lastIndexOf('/');
    const qsizetype modelAt = operationAt > 0 ? path.lastIndexOf('/', operationAt - 1) : -1;
    if (modelAt < 0 || !path.first(modelAt).endsWith("/model"))
        return std::nullopt;
    const QByteArray segment = path.mid(modelAt + 1, operationAt - modelAt - 1);
    const QString modelId = bedrock::decodeModelIdFromPath(segment);
    if (modelId.isEmpty())
        return std::nullopt;
    return NativePath{modelId, path.mid(operationAt + 1)};
}

bool forwardedRequestHeader(const QByteArray &lowercaseName)
{
    return lowercaseName.startsWith("x-amzn-bedrock-");
}

} // namespace

void PassthroughExchange::begin()
{
    const auto path = parseNativePath(request().path);
    if (!path) {
        return failNative({400, u"invalid_request_error"_s, u"bad_model_id"_s,
                           u"The model id in %1 is empty or not percent-encoded."_s.arg(record().path)});
    }
    if (request().method != "POST") {
        return failNative({405, u"invalid_request_error"_s, u"method_not_allowed"_s,
                           u"Bedrock Runtime operations take POST, not %1."_s.arg(record().method)});
    }
    if (!backendReady())
        return;
    m_operation = path->operation;
    const bool converse = m_operation == "converse" || m_operation == "converse-stream";
    const bool streaming = m_operation == "converse-stream" || m_operation == "invoke-with-response-stream";
    record().model = path->modelId;
    record().streamed = streaming;

    // The backend's policies hold for native calls too (issue 12): a pinned model is the only one
    // it serves, and a guardrail or prompt guard it sets cannot be chosen away by the client.
    if (!target().model.isEmpty() && target().model != path->modelId) {
        return failNative(
            {400, u"invalid_request_error"_s, u"model_not_served"_s,
             u"Backend %1 serves only %2 (spec.ai.provider.bedrock.model), and this request names "
             "%3. Call /model/%2/%4, or route to a backend that does not pin a model."_s.arg(
                 target().name, target().model, path->modelId, QString::fromLatin1(m_operation))});
    }
    QJsonObject converseBody;
    if (converse) {
        // The one native shape whose turns Quarry can read: the prompt guard applies to it.
        const QJsonDocument document = QJsonDocument::fromJson(request().body);
        if (!document.isObject())
            return failNative({400, u"invalid_request_error"_s, u"bad_body"_s,
                               u"The Converse body is not a JSON object."_s});
        converseBody = document.object();
        if (const auto rejection = target().policies->preparePrompt(converseBody))
            return failNative(rejection->toApiError());
    }

    QByteArray invokeBody = request().body;
    if (!converse) {
        if (auto refusal = guardInvokeBody(invokeBody))
            return failNative(*refusal);
    }
    // A native event stream is relayed as Bedrock sent it, so an answer guard cannot act on it:
    // refused, rather than passed unguarded.
    if (streaming && !target().policies->responseGuard().isEmpty()) {
        return failNative({400, u"invalid_request_error"_s, u"prompt_guard_unsupported"_s,
                           u"Backend %1 guards answers (spec.policies.ai.promptGuard.response), which "
                           "Quarry cannot do on a native event stream. Call %2 without streaming, or "
                           "use the chat, Responses or Messages API."_s.arg(target().name, record().model)});
    }

    const QByteArray contentType = request().header("content-type");
    const QByteArray accept = request().header("accept");
    const QList<http::HttpHeader> forwarded = [this] {
        QList<http::HttpHeader> headers;
        // The client's Authorization, X-Amz-* and Host are its own (often dummy) identity: dropped.
        for (const http::HttpHeader &header : request().headers) {
            if (forwardedRequestHeader(header.name.toLower()))
                headers.append(header);
        }
        return headers;
    }();
    // Built per provider: each provider of a failover group may set its own guardrail.
    const auto build = [this, path, converse, converseBody, invokeBody, streaming, contentType, accept,
                        forwarded](const BackendTarget &provider) {
        const bool backendGuardrail = !provider.guardrailIdentifier.isEmpty();
        UpstreamRequest call;
        // Re-encoded canonically, so the path Bedrock sees is the one that was signed.
        call.encodedPath = "/model/" + bedrock::encodeModelIdForPath(path->modelId) + '/' + m_operation;
        if (converse) {
            QJsonObject body = converseBody;
            bedrock::AiPolicies::applyGuardrail(body, provider.guardrailIdentifier,
                                                provider.guardrailVersion);
            call.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        } else {
            call.body = invokeBody;
            if (backendGuardrail) { // InvokeModel takes the guardrail in headers
                call.extraHeaders.append(
                    {"X-Amzn-Bedrock-GuardrailIdentifier", provider.guardrailIdentifier.toUtf8()});
                call.extraHeaders.append(
                    {"X-Amzn-Bedrock-GuardrailVersion", provider.guardrailVersion.toUtf8()});
            }
        }
        call.streaming = streaming;
        call.contentType = contentType.isEmpty() ? "application/json"_ba : contentType;
        call.accept = !accept.isEmpty() ? accept
                      : streaming       ? EventStreamType.toByteArray()
                                        : "application/json"_ba;
        for (const http::HttpHeader &header : forwarded) {
            if (!(backendGuardrail && header.name.toLower().startsWith("x-amzn-bedrock-guardrail")))
                call.extraHeaders.append({header.name, header.value});
        }
        return call;
    };

    UpstreamCall::Handlers handlers;
    handlers.responseHead = [this](const QList<QPair<QByteArray, QByteArray>> &headers) {
        keepUpstreamHeaders(headers);
    };
    handlers.streamStarted = [this] { onStreamStarted(); };
    handlers.streamBytes = [this](const QByteArray &bytes) { writeClientStream(bytes); };
    handlers.streamMessage = [this](const bedrock::EventStreamMessage &message) { onStreamMessage(message); };
    handlers.finished = [this](int status, const QByteArray &body, const QByteArray &errorType,
                               const std::optional<bedrock::ApiError> &failure) {
        onFinished(status, body, errorType, failure);
    };
    callBedrock(build, std::move(handlers));
}

// Bedrock's bytes go to the client as they arrive; the decoded copy only feeds the traffic record.
void PassthroughExchange::onStreamStarted()
{
    forwardResponseHeaders();
    startClientStream(upstreamHeader("content-type", EventStreamType.toByteArray()));
}

void PassthroughExchange::onStreamMessage(const bedrock::EventStreamMessage &message)
{
    const QString messageType = message.headerString(u":message-type"_s);
    if (messageType == u"exception"_s) {
        record().error =
            bedrock::mapStreamException(message.headerString(u":exception-type"_s), message.payload).message;
        return;
    }
    const QString eventType = message.headerString(u":event-type"_s);
    if (eventType == u"chunk"_s || eventType == u"contentBlockDelta"_s)
        markFirstToken();
    m_streamUsage.addStreamEvent(message);
}

void PassthroughExchange::onFinished(int status, const QByteArray &body, const QByteArray &errorType,
                                     const std::optional<bedrock::ApiError> &failure)
{
    if (clientStreamStarted())
        return finishStream(failure);
    if (failure)
        return failNative(*failure);
    if (status == 200 && m_operation == "converse")
        recordUsage(bedrock::NativeUsage::fromConverse(body));
    else if (status == 200 && m_operation == "invoke")
        recordUsage(bedrock::NativeUsage::fromInvoke(body, upstreamHeader("x-amzn-bedrock-input-token-count"),
                                                     upstreamHeader("x-amzn-bedrock-output-token-count")));
    else if (status >= 400)
        record().error = bedrock::mapBedrockError(status, errorType, body).message;
    QByteArray answer = body;
    if (status == 200) {
        if (auto refusal = guardAnswer(answer))
            return failNative(*refusal);
    }
    forwardResponseHeaders();
    respond(status, upstreamHeader("content-type", "application/json"), answer);
}

std::optional<bedrock::ApiError> PassthroughExchange::guardInvokeBody(QByteArray &body) const
{
    const bedrock::PromptGuard &guard = target().policies->requestGuard();
    if (guard.isEmpty())
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject()) {
        return bedrock::ApiError::badRequest(u"bad_body"_s, u"The InvokeModel body is not a JSON object, "
                                                            "so the backend's prompt guard cannot read it."_s);
    }
    QJsonValue value = document.object();
    if (const auto rejection = guard.applyToEveryString(value))
        return rejection->toApiError();
    body = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return std::nullopt;
}

std::optional<bedrock::ApiError> PassthroughExchange::guardAnswer(QByteArray &body) const
{
    const bedrock::PromptGuard &guard = target().policies->responseGuard();
    if (guard.isEmpty())
        return std::nullopt;
    QJsonObject answer = QJsonDocument::fromJson(body).object();
    std::optional<bedrock::PromptGuardRejection> rejection;
    if (m_operation == "converse") {
        rejection = bedrock::ResponseGuard(guard).guardAnswer(answer);
    } else {
        QJsonValue value = answer;
        rejection = guard.applyToEveryString(value);
        answer = value.toObject();
    }
    if (rejection)
        return rejection->toApiError();
    body = QJsonDocument(answer).toJson(QJsonDocument::Compact);
    return std::nullopt;
}

// A failure after bytes went out can only be told in the stream itself: an exception frame, as
// Bedrock would send, so the SDKs raise it instead of seeing a quiet end.
void PassthroughExchange::finishStream(const std::optional<bedrock::ApiError> &failure)
{
    if (failure) {
        record().error = failure->message;
        const QString type = QString::fromLatin1(failure->bedrockExceptionName());
        QString frameType = type;
        frameType[0] = frameType[0].toLower(); // stream exceptions are lowerCamelCase
        writeClientStream(
            bedrock::EventStreamEncoder::encodeException(frameType, failure->toBedrockJson()));
    }
    recordUsage(m_streamUsage);
    endClientStream();
}

void PassthroughExchange::recordUsage(const bedrock::NativeUsage &usage)
{
    if (!usage.stopReason().isEmpty())
        record().stopReason = usage.stopReason();
    const TokenUsage &tokens = usage.usage();
    if (tokens.present)
        record().tokens = tokens;
}

} // namespace quarry::gateway
