// Embeds the request's texts batch by batch, in order, and answers in OpenAI's shape.
#include "gateway/EmbeddingsExchange.h"

#include "providers/bedrock/converse/ModelId.h"

using namespace Qt::StringLiterals;

namespace quarry::gateway {

void EmbeddingsExchange::begin()
{
    if (!target().problem.isEmpty())
        return fail({500, u"api_error"_s, u"backend_misconfigured"_s, target().problem});
    auto parsed = bedrock::EmbeddingsRequest::parse(request().body);
    if (!parsed.ok())
        return fail(bedrock::ApiError::badRequest(u"invalid_request"_s, parsed.error()));
    m_request = std::move(parsed.value());
    if (!m_request.droppedParameters.isEmpty()) {
        record().droppedParameters = m_request.droppedParameters;
        addResponseHeader("x-quarry-dropped-params", m_request.droppedParameters.join(u',').toUtf8());
    }

    QString model = target().policies->resolveModelAlias(m_request.model);
    if (bedrock::EmbeddingModel::forModel(target().model) || model.isEmpty())
        model = target().model;
    m_model = bedrock::EmbeddingModel::forModel(model);
    if (!m_model) {
        return fail(bedrock::ApiError::badRequest(
            u"model_not_embedding"_s,
            model.isEmpty()
                ? u"No model to call: the request's \"model\" is empty and backend %1 does not set one."_s
                      .arg(target().name)
                : u"%1 is not an embedding model Quarry can call: use Titan Text Embeddings "
                  "(amazon.titan-embed-text-v2:0, v1) or Cohere Embed (cohere.embed-v4:0, "
                  "cohere.embed-english-v3, cohere.embed-multilingual-v3)."_s.arg(model)));
    }
    if (const Status dimensions = m_model->checkDimensions(m_request.dimensions); !dimensions.ok())
        return fail(bedrock::ApiError::badRequest(u"invalid_request"_s, dimensions.error()));
    m_request.model = model;
    record().model = model;
    embedNextBatch();
}

void EmbeddingsExchange::embedNextBatch()
{
    const qsizetype first = m_vectors.size();
    const qsizetype count = std::min<qsizetype>(m_model->batchSize(), m_request.inputs.size() - first);
    UpstreamRequest call;
    call.encodedPath = "/model/" + bedrock::encodeModelIdForPath(m_request.model) + "/invoke";
    call.body = m_model->invokeBody(m_request, first, count);
    m_headerTokens = -1;
    UpstreamCall::Handlers handlers;
    handlers.responseHead = [this](const QList<QPair<QByteArray, QByteArray>> &headers) {
        for (const auto &[name, value] : headers) {
            if (name.compare("x-amzn-bedrock-input-token-count", Qt::CaseInsensitive) == 0)
                m_headerTokens = value.toInt();
        }
    };
    handlers.finished = [this, count](int status, const QByteArray &body, const QByteArray &errorType,
                                      const std::optional<bedrock::ApiError> &failure) {
        if (failure)
            return fail(*failure);
        onBatchAnswered(status, body, errorType, count);
    };
    callBedrock(call, std::move(handlers));
}

void EmbeddingsExchange::onBatchAnswered(int status, const QByteArray &body, const QByteArray &errorType,
                                         qsizetype count)
{
    if (status != 200)
        return respondWithBedrockError(status, body, errorType);
    const auto answer = m_model->readAnswer(body, m_headerTokens);
    if (!answer.ok() || answer->vectors.size() != count) {
        return fail({502, u"api_error"_s, u"bad_upstream_response"_s,
                     u"Bedrock's embeddings could not be read: %1"_s.arg(
                         answer.ok() ? u"%1 vectors for %2 texts"_s.arg(answer->vectors.size()).arg(count)
                                     : answer.error())});
    }
    m_vectors += answer->vectors;
    m_inputTokens += answer->inputTokens;
    if (m_vectors.size() < m_request.inputs.size())
        return embedNextBatch();
    record().tokens.input = m_inputTokens;
    record().tokens.present = true;
    respond(200, "application/json",
            bedrock::embeddingsResponse(m_request.model, m_vectors, m_request.base64, m_inputTokens));
}

} // namespace quarry::gateway
