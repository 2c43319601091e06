// Anthropic Messages (/v1/messages) and its token counting (/v1/messages/count_tokens) carried to
// Bedrock Converse / ConverseStream / CountTokens and back, in Anthropic's shapes.
#pragma once

#include "gateway/ClientExchange.h"
#include "providers/bedrock/AnthropicConverseBuilder.h"
#include "providers/bedrock/AnthropicMessagesRequest.h"
#include "providers/bedrock/AnthropicStreamTranslator.h"

#include <optional>

namespace quarry::gateway {

class MessagesExchange : public ClientExchange
{
    Q_OBJECT
public:
    enum class Operation { Messages, CountTokens };

    MessagesExchange(Context context, Operation operation)
        : ClientExchange(std::move(context)), m_operation(operation)
    {}

    void begin() override;

protected:
    QByteArray errorBody(const GatewayError &error) const override;

private:
    void callMessages(const QJsonObject &converse);
    void callCountTokens();
    void onStreamMessage(const bedrock::EventStreamMessage &message);
    void onFinished(int status, const QByteArray &body, const QByteArray &errorType,
                    const std::optional<GatewayError> &failure);
    void failStream(const QString &exceptionType, const QString &message);
    void finishStream();
    void respondWithMessage(const QByteArray &converseResponse);
    void respondWithBedrockError(int status, const QByteArray &body, const QByteArray &errorType);

    Operation m_operation;
    bedrock::AnthropicRequest m_request;
    bedrock::AnthropicToolNames m_toolNames;
    QString m_messageId;
    std::optional<bedrock::AnthropicStreamTranslator> m_translator;
    bool m_streamFailed = false;
};

} // namespace quarry::gateway
