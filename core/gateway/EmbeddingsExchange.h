// POST /v1/embeddings (OpenAI) over Bedrock InvokeModel: Titan Text Embeddings and Cohere Embed.
#pragma once

#include "gateway/ClientExchange.h"
#include "providers/bedrock/openai/Embeddings.h"

#include <optional>

namespace quarry::gateway {

// Which model answers: a backend that pins an embedding model always uses it; otherwise the
// request's `model` (after the backend's aliases), so a backend pinned to a chat model still
// serves embeddings for the model the client names.
class EmbeddingsExchange : public ClientExchange
{
    Q_OBJECT
public:
    explicit EmbeddingsExchange(Context context) : ClientExchange(std::move(context)) {}

    void begin() override;

private:
    // One InvokeModel call for the next batch of texts; the answer comes when all are embedded.
    void embedNextBatch();
    void onBatchAnswered(int status, const QByteArray &body, const QByteArray &errorType, qsizetype count);

    bedrock::EmbeddingsRequest m_request;
    std::optional<bedrock::EmbeddingModel> m_model;
    QList<QList<double>> m_vectors;
    int m_inputTokens = 0;
    int m_headerTokens = -1; // X-Amzn-Bedrock-Input-Token-Count of the call in flight
};

} // namespace quarry::gateway
