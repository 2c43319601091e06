// The Traffic page: requests through the gateway, live ones on top and history (history.sqlite,
// across restarts) below, with filters that also query history, and a detail pane.
#pragma once

#include "UiContext.h"
#include "telemetry/TrafficRecord.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTabWidget;
class QTimer;

namespace quarry::ui {

class CaptureView;
class HistoryPager;
class UsageDialog;
class TrafficFilterModel;
class TrafficModel;

class TrafficPage : public QWidget
{
    Q_OBJECT
public:
    explicit TrafficPage(UiContext &context, QWidget *parent = nullptr);
    ~TrafficPage() override;

    TrafficModel *model() const { return m_model; }
    TrafficFilterModel *filter() const { return m_filter; }

public Q_SLOTS:
    // Asks first (a QMessageBox named "confirmClear"), then drops every record and its memory.
    void clearTraffic();
    // Writes the listed requests (as filtered) to `path` as CSV, off the GUI thread; the page says
    // how it went. Empty path: asks where first.
    void exportCsv(const QString &path = {});
    // The Usage view (tokens and cost per day and per model), when there is history; else null.
    UsageDialog *showUsage();
    // Puts the keyboard in the search box, its text selected so typing replaces it (Ctrl+K).
    void focusSearch();
    // "Open in Console": asks for the selected request (its captures) to be loaded into the
    // Console's raw editor. False when it has no captured request body.
    bool openSelectedInConsole();

Q_SIGNALS:
    void openInConsoleRequested(const quarry::telemetry::TrafficRecord &record);

private:
    QWidget *buildFilterBar();
    QWidget *buildDetailPane();
    void showSelected();
    // `missingCaptures` replaces the usual "(not captured)" when the captures are elsewhere.
    void showRecord(const telemetry::TrafficRecord *record, const QString &missingCaptures = {});
    void applyFilters();
    void showCapturesFromHistory(qint64 row, const telemetry::TrafficRecord &captures, bool found);
    void showHistoryProblem(const QString &problem);
    bool filtering() const;
    void showWhetherAnythingMatches();

    UiContext &m_context;
    TrafficModel *m_model = nullptr;
    TrafficFilterModel *m_filter = nullptr;
    QComboBox *m_routeFilter = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QLineEdit *m_textFilter = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_historyProblem = nullptr;
    QLabel *m_noMatches = nullptr; // the filters hide every request: said, not an empty table
    QLabel *m_exportStatus = nullptr;
    UsageDialog *m_usage = nullptr;
    HistoryPager *m_pager = nullptr;
    QTimer *m_searchDelay = nullptr; // typing queries history once it pauses
    qint64 m_shownHistoryRow = 0;    // the history row whose captures are awaited or shown
    QTabWidget *m_tabs = nullptr;
    QPushButton *m_openInConsole = nullptr;
    std::optional<telemetry::TrafficRecord> m_shown; // the request the detail pane shows, captures and all
    CaptureView *m_captures[4] = {};
};

} // namespace quarry::ui
