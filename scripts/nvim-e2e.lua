-- End-to-end check of `kestra-lint server` with a real client: Neovim's built-in LSP client
-- opens a flow, waits for diagnostics, checks where they are, applies a code action and checks
-- the buffer. Run by scripts/nvim-e2e.sh (env: KESTRA_LINT_BIN, E2E_FLOW). Neovim 0.7+.

local bin = os.getenv("KESTRA_LINT_BIN")
local flow = os.getenv("E2E_FLOW")

local function say(msg)
  io.stdout:write("nvim-e2e: " .. msg .. "\n")
end

local function fail(msg)
  io.stderr:write("nvim-e2e: FAIL: " .. msg .. "\n")
  vim.cmd("cquit! 1")
end

local function by_code(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    out[d.code or d.user_data and d.user_data.lsp and d.user_data.lsp.code or "?"] = d
  end
  return out
end

local function run()
  vim.cmd("edit " .. vim.fn.fnameescape(flow))
  local buf = vim.api.nvim_get_current_buf()
  local root = vim.fn.fnamemodify(flow, ":p:h")
  local client_id = vim.lsp.start_client({
    name = "kestra-lint",
    cmd = { bin, "server" },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = "e2e" } },
  })
  if not client_id then
    return fail("the server did not start")
  end
  vim.lsp.buf_attach_client(buf, client_id)

  -- Diagnostics, and their places: D001 on the old type name, P103 on the misspelt input
  -- (after `é`, two bytes in the buffer, one UTF-16 unit on the wire).
  local got = vim.wait(20000, function()
    local c = by_code(buf)
    return c.D001 ~= nil and c.P103 ~= nil
  end, 20)
  if not got then
    return fail("no D001 and P103 diagnostics; got " .. vim.inspect(vim.diagnostic.get(buf)))
  end
  local c = by_code(buf)
  local function at(d, lnum, col, end_col)
    if d.lnum ~= lnum or d.col ~= col or d.end_col ~= end_col then
      fail(string.format("%s at %d:%d-%d, expected %d:%d-%d", d.code, d.lnum, d.col, d.end_col, lnum, col, end_col))
    end
  end
  at(c.D001, 7, 10, 38)
  at(c.P103, 8, 31, 35)
  say("diagnostics at the right places: D001 7:10-38, P103 8:31-35")

  -- The quick fix of D001, as `:lua vim.lsp.buf.code_action()` would offer it.
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = 7, character = 10 }, ["end"] = { line = 7, character = 38 } },
    context = { diagnostics = {} },
  }
  local answers = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 10000)
  local chosen
  for _, answer in pairs(answers or {}) do
    for _, action in ipairs(answer.result or {}) do
      if action.title:find("^D001: ") then
        chosen = action
      end
    end
  end
  if not chosen then
    return fail("no D001 code action; got " .. vim.inspect(answers))
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, "utf-16")
  local line = vim.api.nvim_buf_get_lines(buf, 7, 8, true)[1]
  if line ~= "    type: io.kestra.plugin.core.log.Log" then
    return fail("after the fix, line 8 is " .. vim.inspect(line))
  end
  say("code action applied: " .. chosen.title)

  -- The server saw the edit: D001 is gone, P103 stays.
  local cleared = vim.wait(20000, function()
    local now = by_code(buf)
    return now.D001 == nil and now.P103 ~= nil
  end, 20)
  if not cleared then
    return fail("D001 still reported after the fix: " .. vim.inspect(vim.diagnostic.get(buf)))
  end
  say("diagnostics updated after the edit")
  vim.lsp.stop_client(client_id)
  vim.wait(2000, function()
    return vim.lsp.get_client_by_id(client_id) == nil
  end, 20)
  say("ok")
  vim.cmd("qa!")
end

local ok, err = pcall(run)
if not ok then
  fail(tostring(err))
end
