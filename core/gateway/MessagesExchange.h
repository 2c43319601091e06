// Anthropic Messages (/v1/messages) and its token counting (/v1/messages/count_tokens) carried to
// Bedrock Converse / ConverseStream / CountTokens and back, in Anthropic's shapes.
#pragma once

#include "gateway/ConverseExchange.h"
#include "providers/bedrock/anthropic/AnthropicMessagesRequest.h"
#include "providers/bedrock/converse/ToolNameMapper.h"

namespace quarry::gateway {

class MessagesExchange : public ConverseExchange
{
    Q_OBJECT
public:
    enum class Operation { Messages, CountTokens };

    MessagesExchange(Context context, Operation operation)
        : ConverseExchange(std::move(context)), m_operation(operation)
    {}

    void begin() override;

protected:
    QByteArray errorBody(const bedrock::ApiError &error) const override;
    std::unique_ptr<StreamTranslation> newStreamTranslation() override;
    void respondWithAnswer(const QByteArray &converseResponse) override;
    void respondWithBedrockError(int status, const QByteArray &body, const QByteArray &errorType) override;

private:
    void callCountTokens(const QString &model);

    Operation m_operation;
    bedrock::AnthropicRequest m_request;
    bedrock::ToolNameMapper m_toolNames;
    QString m_messageId;
};

} // namespace quarry::gateway
