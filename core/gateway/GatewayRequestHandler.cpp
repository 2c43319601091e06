// Routing and dispatch of one request.
#include "gateway/GatewayRequestHandler.h"

#include "gateway/ChatCompletionExchange.h"
#include "gateway/ControlPlaneExchange.h"
#include "gateway/EmbeddingsExchange.h"
#include "gateway/MetricsEndpoint.h"
#include "providers/bedrock/converse/ApiError.h"
#include "gateway/MessagesExchange.h"
#include "gateway/ModelsExchange.h"
#include "gateway/PassthroughExchange.h"
#include "gateway/ResponsesExchange.h"
#include "gateway/RouteType.h"
#include "gateway/Router.h"
#include "http/ClientKeyHeader.h"


#include "util/LocalDay.h"

#include <QDateTime>
#include <QTimer>

#include <atomic>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

std::atomic<quint64> lastRequestId{0};

// The target of a native or model-list request whose route names no backend that exists.
const BackendTarget &noBackend()
{
    static const BackendTarget none;
    return none;
}

// A request whose backend's credentials are still being read waits this long before its 503.
constexpr qint64 WaitForCredentialsMs = 2000;
constexpr int RecheckCredentialsMs = 50;

telemetry::CapturedMessage captureRequest(const http::HttpRequest &request)
{
    telemetry::CapturedMessage captured;
    captured.startLine = QString::fromLatin1(request.method + ' ' + request.target + " HTTP/1.1");
    captured.setHeaders(telemetry::HeaderBlock(request.headers));
    captured.setBody(request.body);
    return captured;
}

// The API a matched request speaks: by its path (DESIGN §5), unless the route's backend says
// otherwise in policies.ai.routes (agentgateway's rule).
RouteType routeTypeOf(const GatewaySnapshot &snapshot, const RouteMatchResult &match,
                      const http::HttpRequest &request)
{
    if (const auto found = snapshot.backends.constFind(match.backendName); found != snapshot.backends.cend()) {
        if (const auto named = found->policies->routeTypeFor(QString::fromUtf8(request.path)))
            return routeTypeNamed(*named);
    }
    return routeTypeForSuffix(request.method, match.suffix);
}

struct ErrorResponse
{
    http::HttpHeaders headers;
    QByteArray body;
};

// A gateway error in the shape the client's SDK reads: Anthropic's for the Messages routes,
// Bedrock's for native clients (AWS SDKs), OpenAI's for the rest (and for unmatched paths).
ErrorResponse errorResponse(RouteType type, const bedrock::ApiError &error)
{
    if (type == RouteType::Messages || type == RouteType::AnthropicTokenCount)
        return {{{"Content-Type", "application/json"}}, error.toAnthropicJson()};
    if (type == RouteType::Passthrough || type == RouteType::ControlPlane) {
        return {{{"Content-Type", "application/json"}, {"x-amzn-ErrorType", error.bedrockExceptionName()}},
                error.toBedrockJson()};
    }
    return {{{"Content-Type", "application/json"}}, error.toOpenAiJson()};
}

// Route types whose requests Bedrock bills; a spent hard budget refuses only these.
bool costsMoney(RouteType type)
{
    return type != RouteType::Models && type != RouteType::ControlPlane &&
           type != RouteType::AnthropicTokenCount;
}

// The 429 of a spent hard budget: which budget, its limit and the spend (BudgetAlert::text), and
// what lifts it.
bedrock::ApiError budgetSpent(const telemetry::BudgetAlert &spent)
{
    const bool daily = spent.period == telemetry::Budget::Period::Day;
    const QString annotation = daily ? u"quarry.dev/budget-daily-usd"_s : u"quarry.dev/budget-monthly-usd"_s;
    const QString holder = spent.budget.backend.isEmpty() ? u"Gateway"_s : u"backend"_s;
    return {429, u"rate_limit_error"_s, u"budget_exceeded"_s,
            u"%1 It is a hard limit, so Quarry refuses requests that Bedrock would bill until %2 (local time), "
            "or until %3 on the %4 is raised."_s.arg(spent.text(), daily ? u"tomorrow"_s : u"next month"_s,
                                                     annotation, holder)};
}

} // namespace

GatewayRequestHandler::GatewayRequestHandler(std::shared_ptr<const SnapshotSource> snapshots,
                                             QPointer<telemetry::TrafficSink> sink,
                                             std::shared_ptr<const secrets::ClientKeySource> clientKeys,
                                             std::shared_ptr<telemetry::SpendTracker> spending,
                                             std::shared_ptr<const telemetry::GatewayMetrics> metrics)
    : m_snapshots(std::move(snapshots)), m_clientKeys(std::move(clientKeys)), m_spending(std::move(spending)),
      m_metrics(std::move(metrics)),
      m_sink(std::move(sink))
{
}

void GatewayRequestHandler::continueRequestIdsAfter(quint64 last)
{
    quint64 current = lastRequestId.load();
    while (current < last && !lastRequestId.compare_exchange_weak(current, last)) {
    }
}

void GatewayRequestHandler::handle(http::HttpRequest request, std::shared_ptr<http::ResponseWriter> writer)
{
    // Reserved before routes and client keys (MetricsEndpoint says why no key), and not itself a
    // traffic record: a scraper every 15 s would bury the requests a user wants to see.
    if (m_metrics && MetricsEndpoint::isMetricsRequest(request))
        return MetricsEndpoint::answer(request, *writer, *m_metrics);
    telemetry::TrafficRecord record;
    record.started = QDateTime::currentDateTimeUtc();
    record.client = request.peer.text;
    record.method = QString::fromLatin1(request.method);
    record.path = QString::fromUtf8(request.path);
    record.id = ++lastRequestId;
    record.clientRequest = captureRequest(request);
    // Checked once, before routing: a request held for credentials comes back through dispatch().
    const auto keys = m_clientKeys ? m_clientKeys->current() : std::make_shared<const secrets::ClientKeyCheck>();
    const secrets::ClientKeyCheck::Outcome outcome = keys->check(http::presentedClientKey(request));
    // The key has done its job: no exchange sees it and nothing forwards it upstream.
    http::dropClientKeyHeaders(request);
    if (outcome == secrets::ClientKeyCheck::Outcome::Missing || outcome == secrets::ClientKeyCheck::Outcome::Wrong)
        return refuseClientKey(request, std::move(writer), std::move(record), outcome);
    dispatch(std::move(request), std::move(writer), std::move(record));
}

void GatewayRequestHandler::dispatch(http::HttpRequest request, std::shared_ptr<http::ResponseWriter> writer,
                                     telemetry::TrafficRecord record)
{
    const http::HttpHeaders idHeader{{"x-quarry-request-id", QByteArray::number(record.id)}};

    RouteType errorShape = RouteType::Unknown; // OpenAI's until the route type is known
    const auto fail = [&](const bedrock::ApiError &error) {
        const ErrorResponse response = errorResponse(errorShape, error);
        const http::HttpHeaders headers = response.headers + idHeader;
        writer->respond(error.status, headers, response.body);
        record.clientResponse.startLine = u"HTTP/1.1 %1"_s.arg(error.status);
        record.clientResponse.setHeaders(telemetry::HeaderBlock(headers));
        record.clientResponse.setBody(response.body);
        record.status = error.status;
        record.error = error.message;
        record.latencyMs = record.started.msecsTo(QDateTime::currentDateTimeUtc());
        report(std::move(record));
    };

    std::shared_ptr<const GatewaySnapshot> snapshot = m_snapshots->current(); // handed to the exchange
    const auto match = Router::match(snapshot->resources, snapshot->gatewayName, request);
    if (!match) {
        return fail({404, u"invalid_request_error"_s, u"route_not_found"_s,
                     u"No HTTPRoute on gateway %1 matches %2 %3. `quarry get routes` lists the paths "
                     "Quarry serves (the default is /bedrock)."_s.arg(snapshot->gatewayName, record.method,
                                                                      record.path)});
    }
    record.route = match->routeName;
    record.backend = match->backendName;

    if (request.method == "HEAD" && match->suffix.isEmpty()) {
        // Tools probe the base URL they were given before they use it (DESIGN §5).
        writer->respond(200, idHeader, {});
        record.status = 200;
        record.clientResponse.startLine = u"HTTP/1.1 200"_s;
        record.clientResponse.setHeaders(telemetry::HeaderBlock(idHeader));
        record.latencyMs = record.started.msecsTo(QDateTime::currentDateTimeUtc());
        return report(std::move(record));
    }
    const RouteType type = routeTypeOf(*snapshot, *match, request);
    if (type != RouteType::Unknown)
        record.api = routeTypeName(type);
    if (type == RouteType::Unknown) {
        return fail({404, u"invalid_request_error"_s, u"unknown_api"_s,
                     u"%1 matches route %2, but nothing is served at %3 under it. Use %4 or "
                     "%4/v1/chat/completions for OpenAI chat completions."_s.arg(
                         record.path, match->routeName, QString::fromUtf8(match->suffix),
                         QString::fromUtf8(match->matchedPrefix))});
    }
    if (m_spending && costsMoney(type)) {
        // Checked before anything reaches Bedrock: a request that starts under the limit may end over
        // it, the next one is refused.
        if (const auto spent = m_spending->blocking(record.backend, snapshot->budgets, util::localToday())) {
            errorShape = type;
            return fail(budgetSpent(*spent));
        }
    }
    // `x-quarry-simulate: true` from this machine: the simulator answers in the backend's stead.
    const bool simulate =
        request.header("x-quarry-simulate").trimmed().compare("true", Qt::CaseInsensitive) == 0 &&
        MetricsEndpoint::isLoopbackPeer(request.peer.address);
    if (simulate && !snapshot->simulatedBackends.contains(match->backendName)) {
        return fail({503, u"api_error"_s, u"simulator_unavailable"_s,
                     u"x-quarry-simulate asks for the built-in simulator, but this gateway does not offer it for "
                     "backend %1 (the desktop app's gateway does; `quarry serve --simulate` simulates every "
                     "request)."_s.arg(match->backendName)});
    }
    const QHash<QString, BackendTarget> &backends = simulate ? snapshot->simulatedBackends : snapshot->backends;
    if (const auto found = backends.constFind(match->backendName);
        found != backends.cend() && found->credentials.kind == BedrockCredentials::Kind::Waiting &&
        record.started.msecsTo(QDateTime::currentDateTimeUtc()) < WaitForCredentialsMs) {
        // Right after start-up the keychain usually answers within moments: hold the request
        // briefly and look again, rather than fail it.
        QTimer::singleShot(RecheckCredentialsMs, &m_timerContext,
                           [this, request = std::move(request), writer = std::move(writer),
                            record = std::move(record)]() mutable {
                               dispatch(std::move(request), std::move(writer), std::move(record));
                           });
        return;
    }
    // Native Bedrock and the model lists need no model of their own and answer their own errors
    // (the native APIs in Bedrock's shape), so they take the backend as it is, or none.
    if (type == RouteType::Passthrough || type == RouteType::ControlPlane || type == RouteType::Models) {
        const auto found = backends.constFind(match->backendName);
        ClientExchange::Context context = exchangeContext(std::move(request), std::move(writer),
                                                          found != backends.cend() ? &*found : &noBackend(),
                                                          std::move(record), std::move(snapshot));
        if (type == RouteType::Passthrough)
            (new PassthroughExchange(std::move(context)))->begin();
        else if (type == RouteType::ControlPlane)
            (new ControlPlaneExchange(std::move(context)))->begin();
        else
            (new ModelsExchange(std::move(context)))->begin();
        return;
    }
    errorShape = type;
    if (request.method != "POST") {
        return fail({405, u"invalid_request_error"_s, u"method_not_allowed"_s,
                     u"%1 takes POST, not %2."_s.arg(routeTypeName(type), record.method)});
    }

    const auto target = backends.constFind(match->backendName);
    if (match->backendName.isEmpty() || target == backends.cend()) {
        return fail(
            {500, u"api_error"_s, u"backend_not_found"_s,
             u"Route %1 sends requests to backend %2, which does not exist. Create it with "
             "quarry apply -f, or fix the route's backendRefs."_s.arg(match->routeName, match->backendName)});
    }
    if (!target->credentials.usable())
        return fail(target->credentials.clientError());

    ClientExchange::Context context = exchangeContext(std::move(request), std::move(writer), &*target,
                                                      std::move(record), std::move(snapshot));
    if (type == RouteType::Completions)
        (new ChatCompletionExchange(std::move(context)))->begin();
    else if (type == RouteType::Embeddings)
        (new EmbeddingsExchange(std::move(context)))->begin();
    else if (type == RouteType::Responses)
        (new ResponsesExchange(std::move(context)))->begin();
    else if (type == RouteType::Messages)
        (new MessagesExchange(std::move(context), MessagesExchange::Operation::Messages))->begin();
    else
        (new MessagesExchange(std::move(context), MessagesExchange::Operation::CountTokens))->begin();
}

ClientExchange::Context GatewayRequestHandler::exchangeContext(
    http::HttpRequest request, std::shared_ptr<http::ResponseWriter> writer, const BackendTarget *target,
    telemetry::TrafficRecord record, std::shared_ptr<const GatewaySnapshot> snapshot)
{
    return {std::move(request),
            std::move(writer),
            std::move(snapshot),
            target,
            std::move(record),
            [this](telemetry::TrafficRecord &&done) { report(std::move(done)); },
            &m_reaper};
}

void GatewayRequestHandler::refuseClientKey(const http::HttpRequest &request,
                                            std::shared_ptr<http::ResponseWriter> writer,
                                            telemetry::TrafficRecord record,
                                            secrets::ClientKeyCheck::Outcome outcome) const
{
    const bedrock::ApiError error{
        401, u"authentication_error"_s, u"invalid_api_key"_s,
        outcome == secrets::ClientKeyCheck::Outcome::Missing
            ? u"This Quarry gateway requires a client key: send it as 'Authorization: Bearer KEY' or "
              "'x-api-key: KEY'. `quarry keys create NAME` (or Settings) makes one."_s
            : u"The client key presented is not one of this gateway's keys (revoked, or mistyped). "
              "`quarry keys list` shows the keys that exist."_s};
    const std::shared_ptr<const GatewaySnapshot> snapshot = m_snapshots->current();
    const auto match = Router::match(snapshot->resources, snapshot->gatewayName, request);
    const RouteType type = match ? routeTypeOf(*snapshot, *match, request) : RouteType::Unknown;
    const ErrorResponse response = errorResponse(type, error);
    const http::HttpHeaders headers =
        response.headers + http::HttpHeaders{{"x-quarry-request-id", QByteArray::number(record.id)},
                                             {"WWW-Authenticate", "Bearer realm=\"quarry\""}};
    writer->respond(error.status, headers, response.body);
    if (match) {
        record.route = match->routeName;
        record.backend = match->backendName;
    }
    record.clientResponse.startLine = u"HTTP/1.1 %1"_s.arg(error.status);
    record.clientResponse.setHeaders(telemetry::HeaderBlock(headers));
    record.clientResponse.setBody(response.body);
    record.status = error.status;
    record.error = error.message;
    record.latencyMs = record.started.msecsTo(QDateTime::currentDateTimeUtc());
    report(std::move(record));
}

void GatewayRequestHandler::report(telemetry::TrafficRecord &&record) const
{
    // The exchange priced the record (ClientExchange::answerCostUsd()); records of requests that
    // never reached one have no tokens and no cost.
    QList<telemetry::BudgetAlert> alerts;
    if (m_spending)
        alerts = m_spending->add(record.backend, record.costUsd, util::localToday(),
                                 m_snapshots->current()->budgets);
    if (!m_sink)
        return;
    m_sink->publish(std::move(record));
    for (const telemetry::BudgetAlert &alert : alerts)
        m_sink->alert(alert);
}

} // namespace quarry::gateway
