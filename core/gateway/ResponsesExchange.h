// The OpenAI Responses API (POST /v1/responses) carried to Bedrock Converse / ConverseStream:
// the request becomes the chat request it amounts to, the answer becomes output items, and the
// conversation is kept for previous_response_id (ResponsesStore).
#pragma once

#include "gateway/ConverseExchange.h"
#include "providers/bedrock/openai/OpenAiChatRequest.h"
#include "providers/bedrock/openai/ResponseMapping.h"
#include "providers/bedrock/responses/ResponsesRequest.h"
#include "providers/bedrock/responses/ResponsesStreamTranslator.h"

namespace quarry::gateway {

class ResponsesExchange : public ConverseExchange
{
    Q_OBJECT
public:
    explicit ResponsesExchange(Context context) : ConverseExchange(std::move(context)) {}

    void begin() override;

protected:
    std::unique_ptr<StreamTranslation> newStreamTranslation() override;
    void streamFinished() override;
    void respondWithAnswer(const QByteArray &converseResponse) override;

private:
    // The response object before its output: ids, the model, and what the request asked for.
    QJsonObject shell();
    void remember(const QJsonArray &output, const QHash<QString, QJsonArray> &reasoningById) const;

    bedrock::ResponsesRequest m_request;
    QJsonArray m_history; // the previous response's conversation
    bedrock::ChatRequest m_chat;
    bedrock::ResponseMapping m_mapping;
    QString m_responseId;
    qint64 m_created = 0;
    const bedrock::ResponsesStreamTranslator *m_stream = nullptr; // owned by ConverseExchange
};

} // namespace quarry::gateway
