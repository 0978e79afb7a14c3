package dev.ioloop.slices;

import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureWebMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** {@code @WebMvcTest} of a controller that needs the loop gets the starter's running main loop, nothing more. */
@WebMvcTest(LoopController.class)
class LoopControllerWebMvcTests {

    @Autowired
    private MockMvc mvc;

    @Autowired
    private ApplicationContext context;

    @Test
    void theControllerRunsItsWorkOnTheStartersMainLoop() throws Exception {
        MvcResult started = mvc.perform(get("/greet/ann")).andExpect(request().asyncStarted()).andReturn();

        mvc.perform(asyncDispatch(started)).andExpect(status().isOk())
                .andExpect(content().string("hello ann from ioloop-main"));
    }

    @Test
    void theSliceHasTheLoopButNotTheActuatorParts() {
        assertThat(context.getBean(IOLoop.class).isRunning()).isTrue();
        assertThat(context.getBeanNamesForType(dev.ioloop.spring.boot.metrics.IOLoopMetrics.class)).isEmpty();
        assertThat(context.getBeanNamesForType(dev.ioloop.spring.boot.health.IOLoopHealthContributor.class)).isEmpty();
    }

    @Test
    void theStarterListsItsAutoConfigurationForTheWebMvcSlice() {
        assertThat(ImportCandidates.load(AutoConfigureWebMvc.class, getClass().getClassLoader()))
                .contains(IOLoopAutoConfiguration.class.getName());
    }
}
